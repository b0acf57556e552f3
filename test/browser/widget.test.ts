import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { TURNSTILE_PASS, TURNSTILE_SECRET } from '../helpers/fakes'
import {
  ARTICLE_TEXT,
  ARTIFACTS,
  articlePage,
  describeInBrowser,
  launchBrowser,
  select,
  startWorld,
  watchErrors,
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

async function open(path: string, html: string): Promise<Page> {
  world.site.pages.set(path, html)
  page = await browser.newPage({ viewport: { width: 1024, height: 800 } })
  errors = watchErrors(page)
  await page.goto(`${world.site.origin}${path}`)
  await page.waitForFunction(() => document.readyState === 'complete')
  return page
}

afterEach(async () => {
  expect(errors, 'console errors').toEqual([])
  await page?.close()
})

const dialog = () => page.locator('[data-readerdesk-root] dialog')

async function storedReports() {
  const { results } = await world.worker.db
    .prepare(
      `SELECT r.url, r.quote, r.context_before, r.context_after, r.kind, r.title, r.lang, s.suggestion, s.comment, s.email
       FROM reports r JOIN submissions s ON s.report_id = r.id ORDER BY s.created_at`,
    )
    .all<Record<string, string | null>>()
  return results
}

describeInBrowser('reporting an error with Ctrl+Enter', () => {
  it('sends the selection, its context and the clean URL, and thanks the reader with the status link', async () => {
    await open('/news/library', articlePage(world.api))
    await page.goto(`${world.site.origin}/news/library?utm_source=newsletter#comments`)
    const before = await storedReports()
    await select(page, '#lead', 'burst pipe flooded')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => dialog().isVisible()).toBe(true)
    await expect.poll(() => dialog().locator('blockquote').textContent()).toBe('burst pipe flooded')
    await page.screenshot({ path: `${ARTIFACTS}/widget-dialog.png` })
    await page.getByLabel('Suggested correction').fill('burst pipe that flooded')
    await page.getByLabel('Comment').fill('Missing word.')
    await page.getByLabel('Your email (optional, to hear back)').fill('reader@example.org')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('status').textContent()).toContain('Thank you')
    const link = dialog().getByRole('link', { name: 'Follow what happens to it' })
    expect(await link.getAttribute('href')).toMatch(
      new RegExp(`^${world.api}/v1/submissions/sub_[\\w-]+\\?token=`),
    )
    const stored = (await storedReports()).slice(before.length)
    expect(stored).toEqual([
      {
        url: `${world.site.origin}/news/library`,
        quote: 'burst pipe flooded',
        context_before: ARTICLE_TEXT.slice(0, ARTICLE_TEXT.indexOf('burst pipe flooded')),
        context_after: ARTICLE_TEXT.slice(
          ARTICLE_TEXT.indexOf('burst pipe flooded') + 'burst pipe flooded'.length,
        ),
        kind: 'typo',
        title: 'Library reopens — Harbour Ledger',
        lang: 'en',
        suggestion: 'burst pipe that flooded',
        comment: 'Missing word.',
        email: 'reader@example.org',
      },
    ])
    const status = await fetch((await link.getAttribute('href'))!)
    expect(await status.json()).toEqual({ status: 'new', correction: null })
  })

  it('takes at most 300 code points of context on each side, white space collapsed', async () => {
    const long = `${'word '.repeat(100)}\n\n   TARGET   ${'ünï😀 '.repeat(100)}`
    await open('/news/long', articlePage(world.api, { body: `<p id="long">${long}</p>` }))
    const before = await storedReports()
    await select(page, '#long', 'TARGET')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true)
    const [stored] = (await storedReports()).slice(before.length)
    expect(Array.from(stored!.context_before!)).toHaveLength(300)
    expect(stored!.context_before!.endsWith('word word ')).toBe(true)
    expect(stored!.context_before).not.toMatch(/\s\s/)
    expect(Array.from(stored!.context_after!)).toHaveLength(300)
    expect(stored!.context_after!.startsWith(' ünï😀 ünï😀')).toBe(true)
  })

  it('prefers the canonical link to the address', async () => {
    const canonical = `${world.site.origin}/news/canonical-story`
    await open('/amp/story', articlePage(world.api, { canonical }))
    const before = await storedReports()
    await select(page, '#second', '3.2 million')
    await page.keyboard.press('Control+Enter')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true)
    expect((await storedReports()).slice(before.length)[0]?.url).toBe(canonical)
  })

  it('ignores Ctrl+Enter in the site’s own form fields and without a selection', async () => {
    await open('/news/fields', articlePage(world.api))
    await page.locator('#search').focus()
    await page.locator('#search').selectText()
    await page.keyboard.press('Control+Enter')
    await page.locator('#notes').selectText()
    await page.keyboard.press('Control+Enter')
    await page.locator('h1').click()
    await page.evaluate(() => window.getSelection()?.removeAllRanges())
    await page.keyboard.press('Control+Enter')
    expect(await page.locator('[data-readerdesk-root]').count()).toBe(0)
  })

  it('opens the same dialog with Meta+Enter, as on a Mac', async () => {
    await open('/news/mac', articlePage(world.api))
    await select(page, '#lead', 'reading room')
    await page.keyboard.press('Meta+Enter')
    await expect.poll(() => dialog().isVisible()).toBe(true)
  })
})

describeInBrowser('the dialog', () => {
  it('opens from a report link without a selection and stores a comment-only report', async () => {
    await open('/news/link', articlePage(world.api))
    const before = await storedReports()
    await page.locator('#report-link').click()
    await expect.poll(() => dialog().isVisible()).toBe(true)
    expect(await dialog().locator('blockquote').count()).toBe(0)
    expect(await page.getByLabel('What is wrong?').inputValue()).toBe('other')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect
      .poll(() => dialog().getByRole('alert').textContent())
      .toBe('Tell us what is wrong in a comment.')
    await page.getByLabel('Comment').fill('The photo caption names the wrong street.')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true)
    expect((await storedReports()).slice(before.length)).toEqual([
      expect.objectContaining({
        quote: '',
        kind: 'other',
        comment: 'The photo caption names the wrong street.',
      }),
    ])
  })

  it('shows the server’s problem and keeps what the reader typed', async () => {
    await open(
      '/news/foreign',
      articlePage(world.api, { canonical: 'https://elsewhere.example/story' }),
    )
    await select(page, '#lead', 'reading room')
    await page.keyboard.press('Control+Enter')
    await page.getByLabel('Suggested correction').fill('reading hall')
    await page.getByLabel('Comment').fill('My careful explanation.')
    const before = await storedReports()
    await page.getByRole('button', { name: 'Send' }).click()
    const alert = dialog().getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain('not on one of this newsroom')
    expect(await alert.isVisible()).toBe(true)
    // Chromium logs every non-2xx fetch; that one line is the expected 422, not a script error.
    expect(errors).toEqual([expect.stringContaining('status of 422')])
    errors.length = 0
    expect(await page.getByLabel('Suggested correction').inputValue()).toBe('reading hall')
    expect(await page.getByLabel('Comment').inputValue()).toBe('My careful explanation.')
    expect(await storedReports()).toEqual(before)
  })

  it('retries after a network failure with the same Idempotency-Key', async () => {
    await open('/news/offline', articlePage(world.api))
    await select(page, '#lead', 'head librarian')
    await page.keyboard.press('Control+Enter')
    await page.getByLabel('Comment').fill('Name them.')
    const keys: string[] = []
    let fail = true
    await page.route(`${world.api}/v1/reports`, async (route) => {
      keys.push((await route.request().headerValue('idempotency-key')) ?? '')
      if (fail) return route.abort('internetdisconnected')
      return route.continue()
    })
    await page.getByRole('button', { name: 'Send' }).click()
    await expect
      .poll(() => dialog().getByRole('alert').textContent())
      .toContain('Could not reach the newsroom')
    errors.length = 0
    expect(await page.getByLabel('Comment').inputValue()).toBe('Name them.')
    fail = false
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true)
    expect(keys).toHaveLength(2)
    expect(keys[0]).toMatch(/^[\w-]{36}$/)
    expect(keys[1]).toBe(keys[0])
  })

  it('closes on Esc and gives focus back to where it was', async () => {
    await open('/news/esc', articlePage(world.api))
    await page.locator('#report-link').focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => dialog().isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog().count()).toBe(0)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-link')
  })

  it('keeps Tab and Shift+Tab inside while open', async () => {
    await open('/news/tab', articlePage(world.api))
    await page.locator('#report-link').click()
    await expect.poll(() => dialog().isVisible()).toBe(true)
    const focusedInDialog = () =>
      page.evaluate(() => {
        const host = document.querySelector('[data-readerdesk-root]')
        return document.activeElement === host && Boolean(host?.shadowRoot?.activeElement)
      })
    const names: string[] = []
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press(i < 7 ? 'Tab' : 'Shift+Tab')
      expect(await focusedInDialog()).toBe(true)
      names.push(
        await page.evaluate(
          () =>
            document
              .querySelector('[data-readerdesk-root]')!
              .shadowRoot!.activeElement!.getAttribute('name') ??
            document.querySelector('[data-readerdesk-root]')!.shadowRoot!.activeElement!
              .textContent ??
            '',
        ),
      )
    }
    expect(new Set(names).size).toBeGreaterThanOrEqual(5)
    expect(names).not.toContain('website')
  })

  it('names every field for assistive technology', async () => {
    await open('/news/a11y', articlePage(world.api))
    await page.locator('#report-link').click()
    for (const [role, name] of [
      ['combobox', 'What is wrong?'],
      ['textbox', 'Suggested correction'],
      ['textbox', 'Comment'],
      ['textbox', 'Your email (optional, to hear back)'],
      ['button', 'Send'],
      ['button', 'Cancel'],
    ] as const) {
      expect(await page.getByRole(role, { name, exact: true }).count(), name).toBe(1)
    }
    expect(await page.getByRole('dialog', { name: 'Suggest a correction' }).count()).toBe(1)
    const form = dialog().locator('form')
    for (const name of ['suggestion', 'comment', 'kind', 'email', 'website']) {
      expect(await form.locator(`[name="${name}"]`).count(), name).toBe(1)
    }
    expect(
      await form
        .locator('select[name="kind"] option')
        .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value)),
    ).toEqual(['typo', 'factual', 'clarification', 'translation', 'other'])
    expect(await form.locator('button[type="submit"]').count()).toBe(1)
  })

  it('survives a hostile site stylesheet', async () => {
    const css = `* { font-size: 3px !important; color: transparent !important; }
      dialog, form, button, textarea, select, input, label, blockquote { display: none !important; visibility: hidden !important; }
      [data-readerdesk-root], readerdesk-dialog { display: none !important; opacity: 0 !important; }
      body > * { position: absolute !important; left: -9999px !important; }`
    await open('/news/hostile', articlePage(world.api, { css }))
    const before = await storedReports()
    await select(page, '#lead', 'Saturday morning')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => dialog().isVisible()).toBe(true)
    const box = await dialog().boundingBox()
    expect(box!.width).toBeGreaterThan(300)
    expect(box!.x).toBeGreaterThanOrEqual(0)
    const send = page.getByRole('button', { name: 'Send' })
    expect(await send.isVisible()).toBe(true)
    expect(await send.evaluate((node) => getComputedStyle(node).fontSize)).toBe('16px')
    await page.screenshot({ path: `${ARTIFACTS}/widget-hostile-css.png` })
    await page.getByLabel('Comment').fill('Still works.')
    await send.click()
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true)
    expect((await storedReports()).length).toBe(before.length + 1)
  })

  it.each([
    ['es', 'Sugerir una corrección', 'Enviar', 'Comentario'],
    ['uk-UA', 'Запропонувати виправлення', 'Надіслати', 'Коментар'],
    ['fr', 'Suggest a correction', 'Send', 'Comment'],
  ])('speaks the page’s language (%s)', async (lang, title, send, comment) => {
    await open(`/news/lang-${lang}`, articlePage(world.api, { lang }))
    await page.locator('#report-link').click()
    await expect.poll(() => dialog().locator('h2').textContent()).toBe(title)
    expect(await page.getByRole('button', { name: send }).count()).toBe(1)
    expect(await page.getByLabel(comment, { exact: true }).count()).toBe(1)
  })

  it('loads nothing and sets no cookie until a reader asks for the dialog', async () => {
    const requests: string[] = []
    world.site.pages.set('/news/quiet', articlePage(world.api))
    page = await browser.newPage()
    errors = watchErrors(page)
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(`${world.site.origin}/news/quiet`)
    await page.waitForLoadState('networkidle')
    expect(requests).toEqual([`${world.site.origin}/news/quiet`, `${world.api}/widget.js`])
    expect(await page.context().cookies()).toEqual([])
    expect(
      await page.evaluate(() => Object.keys(window).filter((key) => /readerdesk/i.test(key))),
    ).toEqual([])
  })
})

describeInBrowser('patron buttons', () => {
  const stripeCalls = async () =>
    (
      (await (await fetch(`${world.fakes.stripeUrl}/__requests`)).json()) as {
        path: string
        body: string
      }[]
    ).filter((request) => request.path === '/v1/checkout/sessions')

  async function tier(): Promise<string> {
    const response = await fetch(`${world.api}/v1/admin/tiers`, {
      method: 'POST',
      headers: { authorization: 'Bearer browser-admin', 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Coffee',
        description: 'A cup a month',
        amount: 500,
        currency: 'usd',
        interval: 'month',
      }),
    })
    expect(response.status).toBe(201)
    return ((await response.json()) as { id: string }).id
  }

  const buttons = (tierId: string) => `
    <p><button id="monthly" data-readerdesk="support" data-amount="500" data-interval="month">$5 a month</button></p>
    <p><button id="tier" data-readerdesk="support" data-tier="${tierId}">Coffee tier</button></p>
    <p><button id="too-small" data-readerdesk="support" data-amount="50">50 cents</button></p>`

  async function pageWithButtons(path: string) {
    const id = await tier()
    await open(path, articlePage(world.api, { body: buttons(id) }))
    await page.route('https://checkout.stripe.com/**', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><title>Stripe Checkout</title><link rel="icon" href="data:,"><h1>Checkout</h1>',
      }),
    )
    return id
  }

  it('starts Checkout for an amount and interval and sends the browser to it', async () => {
    await pageWithButtons('/news/patron')
    const before = (await stripeCalls()).length
    await page.locator('#monthly').click()
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/)
    const calls = await stripeCalls()
    expect(calls).toHaveLength(before + 1)
    const form = new URLSearchParams(calls.at(-1)!.body)
    expect(form.get('mode')).toBe('subscription')
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('500')
    expect(form.get('line_items[0][price_data][currency]')).toBe('usd')
    expect(form.get('line_items[0][price_data][recurring][interval]')).toBe('month')
  })

  it('starts Checkout for exactly the tier the button names', async () => {
    const tierId = await pageWithButtons('/news/tier')
    await page.locator('#tier').click()
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\//)
    const form = new URLSearchParams((await stripeCalls()).at(-1)!.body)
    expect([...form.values()]).toContain(tierId)
    expect(form.get('line_items[0][price_data][unit_amount]')).toBe('500')
  })

  it('shows a refusal beside the button and reaches no Stripe', async () => {
    await pageWithButtons('/news/too-small')
    const before = (await stripeCalls()).length
    await page.locator('#too-small').click()
    const note = page.locator('#too-small + [data-readerdesk-error][role="alert"]')
    await expect.poll(() => note.textContent()).toMatch(/\S/)
    expect(await note.isVisible()).toBe(true)
    expect(page.url()).toBe(`${world.site.origin}/news/too-small`)
    expect((await stripeCalls()).length).toBe(before)
    expect(errors).toEqual([expect.stringContaining('status of 400')])
    errors.length = 0
  })
})

describeInBrowser('Turnstile, when the deployment configures it', () => {
  let guarded: World

  beforeAll(async () => {
    guarded = await startWorld({
      TURNSTILE_SITE_KEY: '1x00000000000000000000AA',
      TURNSTILE_SECRET_KEY: TURNSTILE_SECRET,
    })
  })

  afterAll(async () => {
    await guarded?.close()
  })

  /** Stands in for challenges.cloudflare.com: a widget that hands over the passing token when clicked. */
  const TURNSTILE_STUB = `window.turnstile = {
    render(element, options) {
      const button = document.createElement('button')
      button.type = 'button'
      button.id = 'human'
      button.textContent = 'Verify you are human (' + options.sitekey + ')'
      button.onclick = () => options.callback(${JSON.stringify(TURNSTILE_PASS)})
      element.append(button)
      return 'widget-1'
    },
    reset() {},
  }`

  async function openGuarded(path: string) {
    guarded.site.pages.set(path, articlePage(guarded.api))
    page = await browser.newPage()
    errors = watchErrors(page)
    await page.route('https://challenges.cloudflare.com/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript', body: TURNSTILE_STUB }),
    )
    await page.goto(`${guarded.site.origin}${path}`)
    await page.waitForFunction(() => document.readyState === 'complete')
  }

  it('renders Turnstile in the dialog and sends its token', async () => {
    await openGuarded('/news/captcha')
    await select(page, '#lead', 'reading room')
    await page.keyboard.press('Control+Enter')
    const human = page.locator('#human')
    await expect.poll(() => human.isVisible()).toBe(true)
    expect(await human.textContent()).toContain('1x00000000000000000000AA')
    await human.click()
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('status').isVisible()).toBe(true)
  })

  it('shows the captcha refusal when the reader has not passed it', async () => {
    await openGuarded('/news/captcha-missed')
    await select(page, '#lead', 'reading room')
    await page.keyboard.press('Control+Enter')
    await page.getByLabel('Comment').fill('Typed before the captcha.')
    await page.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => dialog().getByRole('alert').textContent()).toContain('captcha')
    expect(await page.getByLabel('Comment').inputValue()).toBe('Typed before the captcha.')
    expect(errors).toEqual([expect.stringContaining('status of 403')])
    errors.length = 0
  })
})
