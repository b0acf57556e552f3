/**
 * The page a reader's email links to, in real Chromium under its own CSP: the reader presses
 * `Erase my email` and sees it done, in English and in Spanish, with axe-core on both pages.
 */
import { createHash } from 'node:crypto'
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

let world: World
let browser: Browser

beforeAll(async () => {
  world = await startWorld()
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await world?.close()
})

let reports = 0

/** A reader's report with an email; its submission id and the token of its status link. */
async function report(lang: string): Promise<{ id: string; token: string }> {
  reports += 1
  const response = await fetch(`${world.api}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: world.site.origin },
    body: JSON.stringify({
      url: `${world.site.origin}/2026/05/forget-${reports}`,
      quote: `quote number ${reports}`,
      lang,
      email: `reader${reports}@example.org`,
    }),
  })
  expect(response.status).toBe(201)
  const body = (await response.json()) as { submission_id: string; status_url: string }
  return { id: body.submission_id, token: new URL(body.status_url).searchParams.get('token')! }
}

/** A token minted for an email, stored as the notifier stores it: its hash only. */
async function mintToken(submissionId: string): Promise<string> {
  const token = `email-${reports}-${Date.now()}`
  const hash = createHash('sha256').update(token).digest('hex')
  await world.worker.db
    .prepare(
      'INSERT INTO submission_tokens (token_hash, submission_id, created_at) VALUES (?, ?, ?)',
    )
    .bind(hash, submissionId, new Date().toISOString())
    .run()
  return token
}

async function emailOf(submissionId: string): Promise<string | null> {
  const row = await world.worker.db
    .prepare('SELECT email FROM submissions WHERE id = ?')
    .bind(submissionId)
    .first<{ email: string | null }>()
  return row!.email
}

describeInBrowser('the page that erases a reader’s email', () => {
  const cases = [
    {
      lang: 'en',
      button: 'Erase my email',
      done: 'Your email is erased',
      token: (id: string) => mintToken(id),
    },
    {
      lang: 'es-ES',
      button: 'Borrar mi correo',
      done: 'Tu correo está borrado',
      token: async (_id: string, first: string) => first,
    },
  ]

  for (const { lang, button, done, token } of cases) {
    it(`erases the email at the press of ${button} (${lang})`, async () => {
      const submission = await report(lang)
      const link = await token(submission.id, submission.token)
      const address = `${world.api}/forget/${submission.id}?token=${encodeURIComponent(link)}`
      // Under the page's own CSP, which must let its stylesheet and its form through: a refusal
      // would show as a console error.
      const context = await browser.newContext()
      const page = await context.newPage()
      const errors = watchErrors(page)
      await page.goto(address)
      expect(await emailOf(submission.id)).not.toBeNull()
      await page.getByRole('button', { name: button }).click()
      await page.getByRole('heading', { level: 1, name: done }).waitFor()
      expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe('0px')
      await page.screenshot({ path: `${ARTIFACTS}/forget-${lang}.png` })
      expect(await emailOf(submission.id)).toBeNull()
      expect(errors).toEqual([])
      await context.close()

      // axe is a script the CSP refuses, so it looks at another reader's visit without it.
      const other = await report(lang)
      const audited = await browser.newContext({ bypassCSP: true })
      const before = await audited.newPage()
      await before.goto(`${world.api}/forget/${other.id}?token=${other.token}`)
      await expectAccessible(before, `${lang}: the button`)
      await before.getByRole('button', { name: button }).click()
      await before.getByRole('heading', { level: 1, name: done }).waitFor()
      await expectAccessible(before, `${lang}: erased`)
      await audited.close()
    })
  }
})
