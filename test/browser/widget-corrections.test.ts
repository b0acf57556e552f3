/**
 * The widget's corrections box (and the JSON-LD it adds for search engines) and the supporters'
 * goal bar, in real Chromium on a news site's article page, from data made through the API.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import {
  ARTIFACTS,
  articlePage,
  describeInBrowser,
  launchBrowser,
  startWorld,
  watchErrors,
  type ArticleOptions,
  type World,
} from './harness'

let world: World
let browser: Browser
let page: Page
let errors: string[]

beforeAll(async () => {
  world = await startWorld()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

afterEach(async () => {
  expect(errors, 'console errors').toEqual([])
  await page?.close()
})

const BOX = '<div id="box" data-readerdesk="corrections"></div>'
const GOAL = '<div id="goal" data-readerdesk="goal"></div>'

/** Opens an article page of the site in a fresh browser context (no cache), dates in UTC. */
async function open(path: string, options: ArticleOptions = {}): Promise<Page> {
  world.site.pages.set(new URL(path, world.site.origin).pathname, articlePage(world.api, options))
  page = await browser.newPage({ viewport: { width: 1024, height: 800 }, timezoneId: 'UTC' })
  errors = watchErrors(page)
  await page.goto(`${world.site.origin}${path}`)
  await page.waitForLoadState('networkidle')
  return page
}

function admin(path: string, init: RequestInit = {}) {
  return fetch(`${world.api}/v1/admin${path}`, {
    ...init,
    headers: { authorization: 'Bearer browser-admin', 'content-type': 'application/json' },
  })
}

let quotes = 0

/** Publishes a correction for the article at `path` the way editors do: a report, then its fix. */
async function publish(path: string, kind: string, text: string): Promise<void> {
  quotes += 1
  const reported = await fetch(`${world.api}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: world.site.origin },
    body: JSON.stringify({ url: `${world.site.origin}${path}`, quote: `quoted words ${quotes}` }),
  })
  expect(reported.status).toBe(201)
  const { id } = (await reported.json()) as { id: string }
  const published = await admin(`/reports/${id}/correction`, {
    method: 'POST',
    body: JSON.stringify({ kind, text }),
  })
  expect(published.status).toBe(201)
  // Apart in time, so that "newest first" has one answer.
  await new Promise((resolve) => setTimeout(resolve, 5))
}

interface Shown {
  kind: string
  date: string
  datetime: string
  text: string
}

/** What the box `selector` shows: its heading and each entry, read inside its shadow root. */
function shownIn(selector: string) {
  return page.evaluate((css) => {
    const root = document.querySelector(css)!.shadowRoot
    return {
      heading: root?.querySelector('h2')?.textContent ?? null,
      items: [...(root?.querySelectorAll('li') ?? [])].map((li) => ({
        kind: li.querySelector('b')!.textContent!,
        date: li.querySelector('time')!.textContent!,
        datetime: li.querySelector('time')!.getAttribute('datetime')!,
        text: li.querySelector('p')!.textContent!,
      })),
    }
  }, selector)
}

const jsonLd = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('script[type="application/ld+json"]')].map((script) => ({
      inHead: script.parentElement === document.head,
      data: JSON.parse(script.textContent ?? '') as unknown,
    })),
  )

async function published(path: string) {
  const url = encodeURIComponent(`${world.site.origin}${path}`)
  const list = (await (await fetch(`${world.api}/v1/corrections?url=${url}`)).json()) as {
    items: { url: string; kind: string; text: string; published_at: string }[]
  }
  return list.items
}

const longDate = (language: string, iso: string) =>
  new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso))

describeInBrowser('the corrections box', () => {
  it('shows the article’s corrections newest first, with kind, text and date, in every box, from one request', async () => {
    await publish('/news/corrected', 'correction', 'The library reopened on Saturday, not Sunday.')
    await publish('/news/corrected', 'clarification', 'The cost includes the new children’s floor.')
    await publish('/news/corrected', 'update', 'Weekend hours start in January.')
    const requests: string[] = []
    page = await browser.newPage({ viewport: { width: 1024, height: 800 }, timezoneId: 'UTC' })
    errors = watchErrors(page)
    page.on('request', (request) => requests.push(request.url()))
    world.site.pages.set(
      '/news/corrected',
      articlePage(world.api, {
        body: `${BOX}<div id="again" data-readerdesk="corrections"></div>`,
      }),
    )
    await page.goto(`${world.site.origin}/news/corrected`)
    await page.waitForLoadState('networkidle')
    const items = await published('/news/corrected')
    expect(items.map((item) => item.kind)).toEqual(['update', 'clarification', 'correction'])
    const expected: Shown[] = items.map((item) => ({
      kind: { update: 'Update', clarification: 'Clarification', correction: 'Correction' }[
        item.kind
      ]!,
      date: longDate('en', item.published_at),
      datetime: item.published_at,
      text: item.text,
    }))
    for (const box of ['#box', '#again']) {
      expect(await shownIn(box)).toEqual({ heading: 'Corrections', items: expected })
    }
    expect(requests.filter((url) => url.startsWith(`${world.api}/v1/corrections`))).toEqual([
      `${world.api}/v1/corrections?url=${encodeURIComponent(`${world.site.origin}/news/corrected`)}`,
    ])
    expect(await page.getByText('The library reopened on Saturday, not Sunday.').count()).toBe(2)
    await page.locator('#box').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/widget-corrections.png` })
  })

  it('adds one schema.org JSON-LD of the corrections to the head', async () => {
    await publish('/news/structured', 'correction', 'The renovation took two years, not three.')
    await publish('/news/structured', 'update', 'The council published the final cost.')
    await open('/news/structured?utm_source=feed', {
      body: `${BOX}<div data-readerdesk="corrections"></div>`,
    })
    await expect.poll(() => shownIn('#box').then((shown) => shown.items.length)).toBe(2)
    const items = await published('/news/structured')
    expect(await jsonLd()).toEqual([
      {
        inHead: true,
        data: {
          '@context': 'https://schema.org',
          '@type': 'NewsArticle',
          url: `${world.site.origin}/news/structured`,
          correction: items.map((item) => ({
            '@type': 'CorrectionComment',
            text: item.text,
            datePublished: item.published_at,
          })),
        },
      },
    ])
    expect(items[0]?.text).toBe('The council published the final cost.')
  })

  it.each([
    ['es', 'Correcciones', 'Actualización'],
    ['uk-UA', 'Виправлення', 'Оновлення'],
  ])('speaks the page’s language (%s)', async (lang, heading, kind) => {
    const path = `/news/lang-${lang}`
    await publish(path, 'update', 'Texto de la actualización · Текст оновлення')
    await open(path, { lang, body: BOX })
    const [item] = await published(path)
    await expect.poll(() => shownIn('#box').then((shown) => shown.heading)).toBe(heading)
    expect((await shownIn('#box')).items).toEqual([
      {
        kind,
        date: longDate(lang.slice(0, 2), item!.published_at),
        datetime: item!.published_at,
        text: 'Texto de la actualización · Текст оновлення',
      },
    ])
  })

  it('shows nothing and adds no JSON-LD when the article has no correction', async () => {
    const requests: string[] = []
    world.site.pages.set('/news/clean', articlePage(world.api, { body: BOX }))
    page = await browser.newPage()
    errors = watchErrors(page)
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(`${world.site.origin}/news/clean`)
    await page.waitForLoadState('networkidle')
    expect(requests.some((url) => url.startsWith(`${world.api}/v1/corrections?url=`))).toBe(true)
    expect(await page.evaluate(() => document.querySelector('#box')!.shadowRoot)).toBeNull()
    expect((await page.locator('#box').boundingBox())?.height).toBe(0)
    expect(await jsonLd()).toEqual([])
  })

  it('shows nothing when the corrections cannot be fetched', async () => {
    await publish('/news/offline', 'correction', 'A correction the reader cannot reach.')
    world.site.pages.set('/news/offline', articlePage(world.api, { body: BOX }))
    page = await browser.newPage()
    errors = watchErrors(page)
    await page.route(`${world.api}/v1/corrections?**`, (route) =>
      route.abort('internetdisconnected'),
    )
    await page.goto(`${world.site.origin}/news/offline`)
    await page.waitForLoadState('networkidle')
    expect(await page.evaluate(() => document.querySelector('#box')!.shadowRoot)).toBeNull()
    expect(await jsonLd()).toEqual([])
    errors.length = 0
  })

  it('keeps hostile correction text as text, in the box and in the JSON-LD', async () => {
    const hostile =
      '<img src=x onerror="window.__pwned=1"></script><script>window.__pwned=2</script> fixed'
    await publish('/news/hostile-text', 'correction', hostile)
    await open('/news/hostile-text', { body: BOX })
    await expect.poll(() => shownIn('#box').then((shown) => shown.items[0]?.text)).toBe(hostile)
    expect(
      await page.evaluate(() => document.querySelector('#box')!.shadowRoot!.querySelector('img')),
    ).toBeNull()
    expect(
      await page.evaluate(() => document.querySelectorAll('img, script:not([src])').length),
    ).toBe(1)
    expect(await jsonLd()).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          correction: [expect.objectContaining({ text: hostile })],
        }),
      }),
    ])
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
  })

  it('looks the same under a hostile site stylesheet', async () => {
    await publish('/news/styled', 'clarification', 'The head librarian started in 1998.')
    const css = `* { font-size: 3px !important; color: transparent !important; font-family: monospace !important; }
      [data-readerdesk], section, h2, ol, li, b, time, p { display: none !important; visibility: hidden !important; opacity: 0 !important; }
      html, body, main, article { font: 40px/3 serif !important; color: red !important; letter-spacing: 9px !important; text-transform: uppercase !important; }`
    const styles = () =>
      page.evaluate(() => {
        const host = document.querySelector('#box')!
        const inside = [...host.shadowRoot!.querySelectorAll('section, h2, li, b, time, p')]
        return [host, ...inside].map((node) => {
          const style = getComputedStyle(node)
          return [
            node.tagName,
            style.display,
            style.visibility,
            style.opacity,
            style.fontSize,
            style.fontFamily,
            style.lineHeight,
            style.color,
            style.backgroundColor,
            style.letterSpacing,
            style.textTransform,
          ].join(' ')
        })
      })
    await open('/news/styled', { body: BOX })
    const plain = await styles()
    await page.close()
    await open('/news/styled', { body: BOX, css })
    expect(await styles()).toEqual(plain)
    expect(plain).toHaveLength(7)
    expect(await page.getByText('The head librarian started in 1998.').isVisible()).toBe(true)
  })
})

describeInBrowser('the supporters’ goal bar', () => {
  /** Active supporters paying these monthly amounts (minor units), as the webhook would leave them. */
  async function supporters(amounts: number[]): Promise<void> {
    const now = new Date().toISOString()
    for (const [i, amount] of amounts.entries()) {
      await world.worker.db.batch([
        world.worker.db
          .prepare(
            `INSERT INTO supporters (id, email, status, amount, currency, interval, since, created_at, updated_at)
             VALUES (?, ?, 'active', ?, 'usd', 'month', ?, ?, ?)`,
          )
          .bind(`sup_goal_${i}`, `goal-${i}@example.org`, amount, now, now, now),
        world.worker.db
          .prepare('INSERT INTO support_customers (id, supporter_id, created_at) VALUES (?, ?, ?)')
          .bind(`cus_goal_${i}`, `sup_goal_${i}`, now),
        world.worker.db
          .prepare(
            `INSERT INTO support_subscriptions (id, customer_id, status, amount, currency, interval, created_at, updated_at)
             VALUES (?, ?, 'active', ?, 'usd', 'month', ?, ?)`,
          )
          .bind(`sub_goal_${i}`, `cus_goal_${i}`, amount, now, now),
      ])
    }
  }

  async function setGoal(goal: Record<string, unknown>): Promise<void> {
    const response = await admin('/goal', { method: 'PUT', body: JSON.stringify(goal) })
    expect(response.status).toBe(200)
  }

  const bar = () => page.getByRole('progressbar', { name: 'Our supporters’ goal' })
  const goalText = () =>
    page.evaluate(
      () => document.querySelector('#goal')!.shadowRoot?.querySelector('p')?.textContent,
    )
  const fillRatio = () =>
    page.evaluate(() => {
      const track = document
        .querySelector('#goal')!
        .shadowRoot!.querySelector('[role=progressbar]')!
      const fill = track.firstElementChild!
      return fill.getBoundingClientRect().width / track.getBoundingClientRect().width
    })

  beforeAll(async () => {
    await supporters([500, 2900, 120000])
  })

  it('shows how many supporters there are against the target', async () => {
    await setGoal({ kind: 'supporters', target: 10 })
    await open('/news/goal-supporters', { body: GOAL })
    await expect.poll(goalText).toBe('3 of 10 supporters')
    expect(await bar().getAttribute('aria-valuenow')).toBe('3')
    expect(await bar().getAttribute('aria-valuemax')).toBe('10')
    expect(await bar().getAttribute('aria-valuemin')).toBe('0')
    expect(await fillRatio()).toBeCloseTo(0.3, 2)
    await page.locator('#goal').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${ARTIFACTS}/widget-goal.png` })
  })

  it('shows the monthly amount as money in the goal’s currency, in the page’s language', async () => {
    await setGoal({ kind: 'monthly', target: 200000, currency: 'usd' })
    await open('/news/goal-monthly', { body: GOAL })
    await expect.poll(goalText).toBe('$1,234 of $2,000 a month')
    expect(await bar().getAttribute('aria-valuenow')).toBe('123400')
    expect(await bar().getAttribute('aria-valuemax')).toBe('200000')
    expect(await fillRatio()).toBeCloseTo(0.617, 2)
    await page.close()
    await open('/news/goal-monthly-es', { lang: 'es', body: GOAL })
    const money = (n: number) =>
      new Intl.NumberFormat('es', {
        style: 'currency',
        currency: 'usd',
        minimumFractionDigits: 0,
      }).format(n)
    await expect.poll(goalText).toBe(`${money(1234)} de ${money(2000)} al mes`)
  })

  it('fills the bar no further than its end once the goal is passed', async () => {
    await setGoal({ kind: 'monthly', target: 100000, currency: 'usd' })
    await open('/news/goal-passed', { body: GOAL })
    await expect.poll(goalText).toBe('$1,234 of $1,000 a month')
    expect(await fillRatio()).toBe(1)
  })

  it('shows nothing when no goal is set', async () => {
    expect((await admin('/goal', { method: 'DELETE' })).status).toBe(204)
    await open('/news/goal-none', { body: GOAL })
    expect(await page.evaluate(() => document.querySelector('#goal')!.shadowRoot)).toBeNull()
    // Chromium logs the expected 404 of the unset goal.
    expect(errors).toEqual([expect.stringContaining('status of 404')])
    errors.length = 0
  })
})
