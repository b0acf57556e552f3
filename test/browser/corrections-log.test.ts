/**
 * The public corrections log in real Chromium under its own CSP: a reader reads the newest
 * corrections and the figures, follows `Next page`, and axe-core finds no serious or critical
 * violation in English or Ukrainian.
 */
import type { Browser } from 'playwright-core'
import { expectAccessible } from './axe'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  ARTIFACTS,
  describeInBrowser,
  launchBrowser,
  startWorld,
  watchErrors,
  type World,
} from './harness'

const KINDS = ['correction', 'clarification', 'update'] as const
const TOTAL = 23

let world: World
let browser: Browser

/** A reader's report on an article and the correction an editor publishes for it. */
async function publish(n: number): Promise<void> {
  const reported = await fetch(`${world.api}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: world.site.origin },
    body: JSON.stringify({
      url: `${world.site.origin}/2026/11/story-${n}`,
      quote: `the figure in story ${n}`,
    }),
  })
  expect(reported.status).toBe(201)
  const { id } = (await reported.json()) as { id: string }
  const published = await fetch(`${world.api}/v1/admin/reports/${id}/correction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer browser-admin' },
    body: JSON.stringify({
      kind: KINDS[n % 3],
      text: `An earlier version of this article gave the wrong figure for item ${n}; it was ${n + 1}, not ${n}.`,
      ...(n % 2 ? { article_title: `Council story number ${n}` } : {}),
    }),
  })
  expect(published.status).toBe(201)
}

beforeAll(async () => {
  world = await startWorld()
  browser = await launchBrowser()
  for (let n = 1; n <= TOTAL; n++) await publish(n)
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

describeInBrowser('the public corrections log', () => {
  it('shows the newest corrections and the figures, and Next page goes on to the rest', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } })
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${world.api}/corrections`)
    await page.getByRole('heading', { level: 1, name: 'Corrections' }).waitFor()
    // The stylesheet got through the CSP (by its hash): the page's own font, not the default.
    expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px')
    expect(await page.getByRole('table').getByRole('row').count()).toBe(13)
    const thisMonth = page.getByRole('table').getByRole('row').nth(1)
    expect(await thisMonth.getByRole('cell').textContent()).toBe(String(TOTAL))
    const entries = page.locator('main ol > li')
    expect(await entries.count()).toBe(20)
    const newest = entries.first()
    await newest.getByRole('link', { name: `Council story number ${TOTAL}` }).waitFor()
    expect(await newest.getByRole('link').getAttribute('href')).toBe(
      `${world.site.origin}/2026/11/story-${TOTAL}`,
    )
    await page.screenshot({ path: `${ARTIFACTS}/corrections-log.png`, fullPage: true })
    await page.screenshot({ path: `${ARTIFACTS}/corrections-log-top.png` })

    await page.getByRole('link', { name: 'Next page' }).click()
    await page.waitForURL(/cursor=/)
    expect(await entries.count()).toBe(TOTAL - 20)
    await entries.last().getByRole('link', { name: `Council story number 1` }).waitFor()
    expect(await page.getByRole('link', { name: 'Next page' }).count()).toBe(0)
    expect(errors).toEqual([])

    await page.setViewportSize({ width: 375, height: 800 })
    await page.goto(`${world.api}/corrections?lang=uk`)
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(375)
    await page.screenshot({ path: `${ARTIFACTS}/corrections-log-uk-narrow.png`, fullPage: true })
    expect(errors).toEqual([])
    await context.close()
  })

  for (const language of ['en', 'uk']) {
    it(`has no serious accessibility violation (${language})`, async () => {
      const context = await browser.newContext({ bypassCSP: true })
      const page = await context.newPage()
      await page.goto(`${world.api}/corrections?lang=${language}`)
      expect(await page.getAttribute('html', 'lang')).toBe(language)
      await expectAccessible(page, `${language}: first page`)
      await page.locator('a[rel="next"]').click()
      await page.waitForURL(/cursor=/)
      expect(await page.getAttribute('html', 'lang')).toBe(language)
      await expectAccessible(page, `${language}: next page`)
      await context.close()
    })
  }
})
