/**
 * The editors' web app in real Chromium: sign-in, the inbox, a report's workflow, corrections,
 * two editors at once, roles, revocation, sign-out, the same-origin rule, axe-core on every
 * page and the main path by keyboard alone.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  ARTIFACTS,
  describeInBrowser,
  launchBrowser,
  startWorld,
  watchErrors,
  type World,
} from './harness'

const ADMIN_TOKEN = 'browser-admin'
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let world: World
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  world = await startWorld({ ADMIN_TOKEN })
  browser = await launchBrowser()
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await world?.close()
})

/** A fresh browser profile (its own cookies); `bypassCSP` only where axe is injected. */
async function newPage(options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    bypassCSP: options.bypassCSP ?? false,
  })
  contexts.push(context)
  const page = await context.newPage()
  const errors = watchErrors(page)
  // Refusals (401, 403, 409, 412) are answers the tests expect; Chromium logs each as an error.
  page.on('close', () => {
    const unexpected = errors.filter((error) => !error.startsWith('Failed to load resource'))
    expect(unexpected, 'console errors').toEqual([])
  })
  return page
}

async function signIn(page: Page, token = ADMIN_TOKEN): Promise<void> {
  await page.goto(`${world.api}/admin/sign-in`)
  await page.getByLabel('Token').fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${world.api}/admin`)
}

let reports = 0

/** A reader's report on the news site's article, through the public API; its id. */
async function report(fields: Record<string, string> = {}): Promise<string> {
  reports += 1
  const response = await fetch(`${world.api}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: world.site.origin },
    body: JSON.stringify({
      url: `${world.site.origin}/2026/05/story-${reports}`,
      quote: `quote number ${reports}`,
      ...fields,
    }),
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function api(path: string, init: RequestInit = {}, token = ADMIN_TOKEN) {
  return fetch(`${world.api}/v1/admin${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  })
}

async function newEditor(name: string, role: 'editor' | 'admin' = 'editor') {
  const response = await api('/editors', {
    method: 'POST',
    body: JSON.stringify({
      name,
      email: `${name.split(' ')[0]!.toLowerCase()}@news.example`,
      role,
    }),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; token: string }
}

const reportLink = (page: Page, text: string) => page.getByRole('link', { name: text })

/** A morning's reports on a local newsroom's site, some already worked on. */
async function seedNewsroom(): Promise<string> {
  const article = (slug: string) => `${world.site.origin}/2026/05/${slug}`
  const send = (fields: Record<string, string>) => report(fields)
  const library = {
    url: article('council-backs-library-expansion'),
    title: 'Council backs library expansion',
    quote: 'approved $4.2 milion for the new wing',
    context_before: 'On Tuesday night the city council ',
    context_after: ', with construction due to start in the autumn.',
    kind: 'typo',
  }
  await send({
    url: article('transit-plan-explained'),
    title: 'The transit plan, explained',
    quote: 'the plan would cost taxpayers less',
    kind: 'clarification',
    comment: 'Less than what? The piece never says.',
  })
  await send({
    url: article('school-board-calendar'),
    title: 'School board votes on new calendar',
    quote: '',
    comment: 'The photo caption names the wrong school: that is Eastside Elementary.',
    kind: 'factual',
  })
  const pension = await send({
    url: article('pension-protests'),
    title: 'Protests continue over pension reform',
    quote: '“We will not stop”, she said',
    kind: 'translation',
    suggestion: '“We will carry on”, she said',
    lang: 'fr',
  })
  const trial = await send({
    url: article('fraud-trial-day-one'),
    title: 'Court hears first day of fraud trial',
    quote: 'the defendent pleaded not guilty',
    kind: 'typo',
    suggestion: 'the defendant pleaded not guilty',
  })
  const inflation = await send({
    url: article('inflation-figures'),
    title: 'What the latest inflation figures mean',
    quote: 'inflation fell to 2.1% in March',
    kind: 'factual',
    comment: 'The statistics office says 2.4%.',
  })
  await send({
    url: article('harbour-bridge-repairs'),
    title: 'Harbour bridge to close for repairs',
    quote: 'the bridge, built in 1897,',
    kind: 'factual',
    suggestion: 'the bridge, built in 1898,',
  })
  const mayor = await send({
    url: article('mayor-reelection-bid'),
    title: 'Mayor Rivera announces re-election bid',
    quote: 'Rivera has served as mayor since 2016',
    kind: 'factual',
    comment: 'She was first elected in November 2018.',
    email: 'j.okafor@example.org',
  })
  await send({
    ...library,
    suggestion: 'approved $4.2 million for the new wing',
    email: 'reader.one@example.org',
  })
  await send({
    ...library,
    suggestion: 'approved $4.2 million',
    comment: 'Typo in the second paragraph.',
  })
  const id = await send({ ...library, comment: 'million, not milion', email: 'sam.w@example.org' })
  const patch = (report: string, body: Record<string, unknown>) =>
    api(`/reports/${report}`, { method: 'PATCH', body: JSON.stringify(body) })
  await patch(mayor, { status: 'triaged', assignee: 'Maria Lopez' })
  await patch(mayor, { status: 'accepted', note: 'Confirmed with the city clerk’s records.' })
  await patch(inflation, { status: 'triaged', assignee: 'Tom Brandt' })
  await patch(pension, {
    status: 'rejected',
    note: 'The quote is translated as the agency sent it.',
  })
  await patch(trial, { status: 'triaged' })
  await api(`/reports/${trial}/correction`, {
    method: 'POST',
    body: JSON.stringify({
      kind: 'correction',
      text: 'An earlier version misspelled “defendant”.',
    }),
  })
  await patch(id, {
    status: 'triaged',
    assignee: 'Maria Lopez',
    note: 'Three readers; checking the council minutes.',
  })
  return id
}

describeInBrowser('the editors’ web app', () => {
  it('looks like a newsroom’s tool (the README’s screenshots)', async () => {
    const id = await seedNewsroom()
    const page = await newPage()
    await signIn(page)
    await page.screenshot({ path: `${ARTIFACTS}/admin-inbox.png` })
    await page.goto(`${world.api}/admin/reports/${id}`)
    await page.screenshot({ path: `${ARTIFACTS}/admin-report.png`, fullPage: true })
    await page.close()
  })

  it('refuses a wrong token with an alert, and signs in with a good one', async () => {
    const page = await newPage()
    await page.goto(`${world.api}/admin`)
    expect(page.url()).toBe(`${world.api}/admin/sign-in`)
    await page.getByLabel('Token').fill('rdk_wrong')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid')
    expect(await page.context().cookies()).toEqual([])
    await page.getByLabel('Token').fill(ADMIN_TOKEN)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(`${world.api}/admin`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Reports')
    const [cookie] = await page.context().cookies()
    expect(cookie).toMatchObject({ name: 'readerdesk_session', httpOnly: true, sameSite: 'Strict' })
    expect(cookie!.value).not.toContain(ADMIN_TOKEN)
    expect(await page.evaluate(() => document.cookie)).toBe('')
    await page.close()
  })

  it('searches and filters the inbox, newest first, and pages', async () => {
    await report({ quote: 'the harbour dredging cost 4 milion', kind: 'typo' })
    await report({
      quote: 'the mayor was elected in 2019',
      kind: 'factual',
      comment: 'It was 2018.',
    })
    await report({ quote: 'the harbour ferry runs hourly', kind: 'factual' })
    const page = await newPage()
    await signIn(page)
    const quotes = () => page.locator('tbody a.quote').allTextContents()
    const all = await quotes()
    expect(all.indexOf('“the harbour ferry runs hourly”')).toBeLessThan(
      all.indexOf('“the harbour dredging cost 4 milion”'),
    )
    await page.getByLabel('Search').fill('harbour')
    await page.getByRole('button', { name: 'Filter' }).click()
    expect(await quotes()).toEqual([
      '“the harbour ferry runs hourly”',
      '“the harbour dredging cost 4 milion”',
    ])
    await page.getByLabel('Kind').selectOption('factual')
    await page.getByRole('button', { name: 'Filter' }).click()
    expect(await quotes()).toEqual(['“the harbour ferry runs hourly”'])
    await page.getByLabel('Search').fill('')
    await page.getByLabel('Status').selectOption('spam')
    await page.getByLabel('Kind').selectOption('')
    await page.getByRole('button', { name: 'Filter' }).click()
    await expect.poll(() => page.getByText('No reports match.').isVisible()).toBe(true)
    for (let i = 0; i < 26; i++) await report()
    await page.goto(`${world.api}/admin`)
    const first = await quotes()
    expect(first).toHaveLength(25)
    await page.getByRole('link', { name: 'Next page' }).click()
    const second = await quotes()
    expect(second.length).toBeGreaterThan(0)
    expect(second.filter((quote) => first.includes(quote))).toEqual([])
    await page.close()
  })

  it('moves a report through the workflow, assigns it, notes it, and publishes its correction', async () => {
    const id = await report({
      quote: 'the bridge opened in 1897',
      title: 'Old bridge reopens',
      suggestion: 'the bridge opened in 1898',
    })
    const page = await newPage()
    await signIn(page)
    await reportLink(page, '“the bridge opened in 1897”').click()
    expect(page.url()).toBe(`${world.api}/admin/reports/${id}`)
    const status = page.locator('.facts .badge')
    expect(await status.textContent()).toBe('new')
    for (const next of ['triaged', 'accepted']) {
      await page.getByLabel('Status').selectOption(next)
      await page.getByRole('button', { name: 'Update status' }).click()
      await expect.poll(() => status.textContent()).toBe(next)
      await expect.poll(() => page.getByRole('status').textContent()).toBe('Status updated.')
    }
    await page.getByLabel('Assignee').fill('Maria Lopez')
    await page.getByRole('button', { name: 'Assign' }).click()
    await expect.poll(() => page.getByLabel('Assignee').inputValue()).toBe('Maria Lopez')
    await page.getByLabel('Note').fill('Checked against the city archive.')
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect
      .poll(() => page.locator('.events').textContent())
      .toContain('Checked against the city archive.')
    expect(await page.getByLabel('Article title').inputValue()).toBe('Old bridge reopens')
    await page.getByLabel('Kind').selectOption('correction')
    await page.getByLabel('Correction text').fill('The bridge opened in 1898, not 1897.')
    await page.getByRole('button', { name: 'Publish correction' }).click()
    await expect.poll(() => status.textContent()).toBe('fixed')
    const url = `${world.site.origin}/2026/05/story-${reports}`
    const corrections = (await (
      await fetch(`${world.api}/v1/corrections?url=${encodeURIComponent(url)}`)
    ).json()) as { items: { kind: string; text: string }[] }
    expect(corrections.items).toEqual([
      expect.objectContaining({ kind: 'correction', text: 'The bridge opened in 1898, not 1897.' }),
    ])
    const events = await page.locator('.events li').allTextContents()
    expect(events.map((event) => event.replace(/^.*UTC /, ''))).toEqual([
      'admin changed the status: new → triaged',
      'admin changed the status: triaged → accepted',
      'admin assigned: nobody → Maria Lopez',
      'admin noted“Checked against the city archive.”',
      'admin published the correction: accepted → fixed',
    ])
    await page.close()
  })

  it('marks a duplicate of another report', async () => {
    const original = await report({ quote: 'the dam holds 3 billion litres' })
    const duplicate = await report({
      quote: 'the dam holds 3 billion liters',
      url: `${world.site.origin}/2026/05/dam`,
    })
    const page = await newPage()
    await signIn(page)
    await page.goto(`${world.api}/admin/reports/${duplicate}`)
    await page.getByLabel('Status').selectOption('duplicate')
    await page.getByLabel('Duplicate of').fill(original)
    await page.getByRole('button', { name: 'Update status' }).click()
    await expect.poll(() => page.locator('.facts .badge').textContent()).toBe('duplicate')
    expect(await page.locator('.facts').getByRole('link', { name: original }).count()).toBe(1)
    await page.close()
  })

  it('shows the second of two editors on one report the conflict, and the report as it now is', async () => {
    const id = await report({ quote: 'two editors look at this' })
    const ana = await newEditor('Ana Ruiz')
    const bo = await newEditor('Bo Chen')
    const first = await newPage()
    const second = await newPage()
    await signIn(first, ana.token)
    await signIn(second, bo.token)
    await first.goto(`${world.api}/admin/reports/${id}`)
    await second.goto(`${world.api}/admin/reports/${id}`)
    await first.getByLabel('Status').selectOption('triaged')
    await first.getByRole('button', { name: 'Update status' }).click()
    await expect.poll(() => first.locator('.facts .badge').textContent()).toBe('triaged')
    await second.getByLabel('Status').selectOption('rejected')
    await second.getByRole('button', { name: 'Update status' }).click()
    await expect
      .poll(() => second.getByRole('alert').textContent())
      .toContain('Someone changed this report')
    expect(await second.locator('.facts .badge').textContent()).toBe('triaged')
    expect(await second.locator('.events').textContent()).toContain('Ana Ruiz changed the status')
    const stored = (await (await api(`/reports/${id}`)).json()) as { status: string }
    expect(stored.status).toBe('triaged')
    await first.close()
    await second.close()
  })

  it('shows an editor no admin pages, and refuses them with a 403 page', async () => {
    const editor = await newEditor('Cy Park')
    const page = await newPage()
    await signIn(page, editor.token)
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Reports', 'Stats'])
    for (const path of ['supporters', 'payments', 'tiers', 'editors', 'goal']) {
      const response = await page.goto(`${world.api}/admin/${path}`)
      expect(response?.status(), path).toBe(403)
      expect(await page.getByRole('alert').textContent()).toContain('Only admins')
    }
    await page.close()
  })

  it('ends a session at once when its editor’s token is revoked', async () => {
    const editor = await newEditor('Di Moss')
    const page = await newPage()
    await signIn(page, editor.token)
    expect((await api(`/editors/${editor.id}`, { method: 'DELETE' })).status).toBe(204)
    await page.reload()
    expect(page.url()).toBe(`${world.api}/admin/sign-in`)
    await page.close()
  })

  it('signs out, and the session is gone', async () => {
    const page = await newPage()
    await signIn(page)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect.poll(() => page.getByRole('status').textContent()).toBe('You are signed out.')
    await page.goto(`${world.api}/admin`)
    expect(page.url()).toBe(`${world.api}/admin/sign-in`)
    await page.close()
  })

  it('refuses a form posted from another origin, even on the same host', async () => {
    const id = await report({ quote: 'a forged note target' })
    const page = await newPage()
    await signIn(page)
    world.site.pages.set(
      '/forge',
      `<!doctype html><html lang="en"><title>forge</title><body>
       <form method="post" action="${world.api}/admin/reports/${id}/note">
       <input name="note" value="forged"><button>go</button></form></body></html>`,
    )
    await page.goto(`${world.site.origin}/forge`)
    const [response] = await Promise.all([
      page.waitForResponse(`${world.api}/admin/reports/${id}/note`),
      page.getByRole('button', { name: 'go' }).click(),
    ])
    expect(response.status()).toBe(403)
    const stored = (await (await api(`/reports/${id}`)).json()) as { events: unknown[] }
    expect(stored.events).toEqual([])
    await page.close()
  })

  it('has no serious or critical axe-core violation on any page', async () => {
    const id = await report({ quote: 'axe looks at this page', comment: 'Please check.' })
    await api('/tiers', {
      method: 'POST',
      body: JSON.stringify({ name: 'Coffee', amount: 500, currency: 'usd', interval: 'month' }),
    })
    const editor = await newEditor('Ed Axe')
    const admin = await newPage({ bypassCSP: true })
    const pages = ['/admin/sign-in']
    const check = async (page: Page, path: string) => {
      await page.goto(`${world.api}${path}`)
      await page.addScriptTag({ content: AXE })
      const violations = await page.evaluate(async () => {
        const axe = (
          window as unknown as {
            axe: {
              run(): Promise<{
                violations: { id: string; impact: string; nodes: { target: string[] }[] }[]
              }>
            }
          }
        ).axe
        const result = await axe.run()
        return result.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map(
            (violation) =>
              `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
          )
      })
      expect(violations, path).toEqual([])
    }
    await check(admin, pages[0]!)
    await signIn(admin)
    for (const path of [
      '/admin',
      `/admin/reports/${id}`,
      '/admin/stats',
      '/admin/supporters',
      '/admin/payments',
      '/admin/tiers',
      '/admin/editors',
      '/admin/goal',
    ])
      await check(admin, path)
    const goal = { kind: 'monthly', target: 100_000, currency: 'usd' }
    expect((await api('/goal', { method: 'PUT', body: JSON.stringify(goal) })).status).toBe(200)
    await check(admin, '/admin/goal')
    const page = await newPage({ bypassCSP: true })
    await signIn(page, editor.token)
    await check(page, '/admin/tiers')
    await admin.close()
    await page.close()
  })

  it('signs in, opens a report and changes its status with the keyboard alone', async () => {
    const id = await report({ quote: 'keyboard users triage too' })
    const page = await newPage()
    /** Presses Tab until `selector` has the focus. */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 60; i++) {
        if (await page.evaluate((css) => document.activeElement?.matches(css) ?? false, selector))
          return
        await page.keyboard.press('Tab')
      }
      throw new Error(`Tab never reached ${selector}`)
    }
    await page.goto(`${world.api}/admin/sign-in`)
    await tabTo('#token')
    await page.keyboard.type(ADMIN_TOKEN)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${world.api}/admin`)
    await tabTo(`a[href="/admin/reports/${id}"]`)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${world.api}/admin/reports/${id}`)
    await tabTo('#status')
    await page.keyboard.press('ArrowDown')
    expect(await page.locator('#status').inputValue()).toBe('triaged')
    await tabTo('form[action$="/status"] button')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('.facts .badge').textContent()).toBe('triaged')
    await page.close()
  })
})
