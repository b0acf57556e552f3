/**
 * Notifications end to end, with the built Worker run as it runs locally (workerd through
 * Miniflare 4): the real local NOTIFY queue and its consumer, and the real local send_email
 * binding, which writes each email it "sent" to files and logs their paths in Miniflare's log.
 * Readers' emails are read from those files, the erase link is followed in headless Chromium,
 * and webhooks reach a Node server here and are verified with the standardwebhooks library.
 * Only the erase link needs a browser: the rest runs where Chromium is missing.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import { Contract } from '../contract/openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ARTIFACTS,
  describeInBrowser,
  launchBrowser,
  startWorld,
  watchErrors,
  type World,
} from './harness'

const ADMIN_TOKEN = 'browser-admin'
const EMAIL_FROM = 'desk@news.example'
/** How long anything the queue's consumer does may take to show: the contract says ~10 s. */
const PATIENCE_MS = 20_000

/** One email as the local send_email binding logged it, with the files it wrote read back. */
interface SentEmail {
  from: string
  to: string
  subject: string
  text: string
  html: string
}

/** What the binding logged of one email: its headers, then the files holding its two bodies. */
interface LoggedEmail {
  from?: string
  to?: string
  subject?: string
  textFile?: string
  htmlFile?: string
}

const logged: LoggedEmail[] = []
const lines: string[] = []
let reading: LoggedEmail | null = null

/**
 * Miniflare 4 logs a MessageBuilder send as one message of several lines:
 * `[mf:info] send_email binding called with MessageBuilder:`, `From: …`, `To: …`, `Subject: …`,
 * an empty line, `Text: <file>`, `HTML: <file>`.
 */
function onLine(line: string): void {
  lines.push(line)
  if (line.includes('send_email binding called with MessageBuilder:')) {
    reading = {}
    logged.push(reading)
    return
  }
  if (!reading) return
  const field = /^(From|To|Subject|Text|HTML): (.*)$/.exec(line)
  if (field) {
    const [, name, value] = field as unknown as [string, string, string]
    if (name === 'From') reading.from = value
    else if (name === 'To') reading.to = value
    else if (name === 'Subject') reading.subject = value
    else if (name === 'Text') reading.textFile = value
    else reading.htmlFile = value
    if (name === 'HTML') reading = null
  } else if (line !== '') {
    reading = null
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `probe` until it gives a value, for at most PATIENCE_MS; fails saying what it awaited. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined) {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value !== undefined) return { value, ms: Date.now() - started }
    if (Date.now() - started > PATIENCE_MS) {
      throw new Error(
        `Waited ${PATIENCE_MS / 1000} s for ${what}. The last lines logged:\n${lines.slice(-30).join('\n')}`,
      )
    }
    await sleep(100)
  }
}

/** The emails logged so far, once both their files are named, read back. */
async function sentEmails(): Promise<SentEmail[]> {
  const complete = logged.filter((email) => email.htmlFile)
  return Promise.all(
    complete.map(async (email) => ({
      from: email.from ?? '',
      to: email.to ?? '',
      subject: email.subject ?? '',
      text: await readFile(email.textFile!, 'utf8'),
      html: await readFile(email.htmlFile!, 'utf8'),
    })),
  )
}

/** A webhook request as the Node receiver got it. */
interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
}

const received: Received[] = []
let receiver: Server
let hooks: string

async function startReceiver(): Promise<void> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
}

let world: World

beforeAll(async () => {
  await startReceiver()
  world = await startWorld({ EMAIL_FROM }, { onLine })
})

afterAll(async () => {
  await world?.close()
  await new Promise((resolve) => receiver?.close(resolve))
})

async function admin(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${world.api}/v1/admin${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  })
}

interface Created {
  id: string
  submission_id: string
  submissions: number
  status_url: string
}

/** A reader's report from the news site's page, through the public API. */
async function submit(fields: Record<string, string>): Promise<Created> {
  const response = await fetch(`${world.api}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: world.site.origin },
    body: JSON.stringify(fields),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as Created
}

async function publish(reportId: string, text: string): Promise<{ id: string; text: string }> {
  const response = await admin(`/reports/${reportId}/correction`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'correction', text }),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; text: string }
}

interface Endpoint {
  id: string
  secret: string
}

async function register(path: string, events: string[]): Promise<Endpoint> {
  const response = await admin('/webhooks', {
    method: 'POST',
    body: JSON.stringify({ url: `${hooks}${path}`, events }),
  })
  expect(response.status).toBe(201)
  return (await response.json()) as Endpoint
}

async function emailOf(submissionId: string): Promise<string | null> {
  const row = await world.worker.db
    .prepare('SELECT email FROM submissions WHERE id = ?')
    .bind(submissionId)
    .first<{ email: string | null }>()
  return row!.email
}

/** The one link of this path in an email's text. */
function linkIn(text: string, path: string): string {
  const found = text.match(new RegExp(`https?://\\S+${path}/\\S+`, 'g')) ?? []
  expect(found, `the ${path} link`).toHaveLength(1)
  return found[0]!
}

const ARTICLE = () => `${world.site.origin}/2026/05/library-reopens`
const QUOTE = 'More than 400 residents queued'
const FIRST = { email: 'olena@example.org', comment: null }
const SECOND = { email: 'sam@example.net', comment: 'It was 300 people, I counted them twice.' }
const CORRECTION = 'An earlier version said more than 400 residents queued; it was about 300.'

/** What part 1 hands to part 2: the first reader's email and the two submissions. */
const first = { submission: '', forget: '' }
let second = ''

describe('readers’ emails, from the local send_email binding', () => {
  it(
    'tells each reader, in their language, once the correction is published, and nobody before',
    { timeout: 60_000 },
    async () => {
      // A witness: the report.created delivery shows the consumer has handled the submission.
      const witness = await register('/witness', ['report.created'])
      const one = await submit({
        url: ARTICLE(),
        title: 'Library reopens',
        quote: QUOTE,
        lang: 'uk',
        email: FIRST.email,
      })
      const two = await submit({
        url: ARTICLE(),
        quote: QUOTE.toLowerCase() + '.',
        lang: 'en-GB',
        email: SECOND.email,
        comment: SECOND.comment,
      })
      expect(two.id).toBe(one.id)
      expect(two.submissions).toBe(2)
      first.submission = one.submission_id
      second = two.submission_id

      const created = await until('the witness’s report.created delivery', () =>
        received.find((request) => request.path === '/witness' && request.body.includes(one.id)),
      )
      console.info(`report.created reached the witness after ${created.ms} ms`)
      expect(await admin(`/webhooks/${witness.id}`, { method: 'DELETE' })).toHaveProperty(
        'status',
        204,
      )
      // Nothing on submission: no email logged, none claimed.
      expect(logged).toEqual([])
      const claimed = await world.worker.db
        .prepare('SELECT COUNT(*) AS n FROM reader_emails')
        .first<{ n: number }>()
      expect(claimed!.n).toBe(0)

      const correction = await publish(one.id, CORRECTION)
      const sent = await until('two emails', async () => {
        const emails = await sentEmails()
        return emails.length >= 2 ? emails : undefined
      })
      console.info(`both emails were logged ${sent.ms} ms after the correction was published`)
      const emails = sent.value
      expect(emails).toHaveLength(2)
      // Each sent once and recorded so (the webhook test below checks that no third follows).
      const { results: rows } = await world.worker.db
        .prepare('SELECT submission_id, outcome, state, attempts FROM reader_emails ORDER BY 1')
        .all()
      expect(rows).toEqual(
        [one.submission_id, two.submission_id].sort().map((submission_id) => ({
          submission_id,
          outcome: 'correction',
          state: 'sent',
          attempts: 1,
        })),
      )

      const toFirst = emails.filter((email) => email.to === FIRST.email)
      const toSecond = emails.filter((email) => email.to === SECOND.email)
      expect(toFirst).toHaveLength(1)
      expect(toSecond).toHaveLength(1)
      const [uk, en] = [toFirst[0]!, toSecond[0]!]
      for (const email of emails) expect(email.from).toBe(EMAIL_FROM)

      // The first reader's, in Ukrainian, with the correction.
      expect(uk.subject).toBe('Статтю, про яку ви повідомили, виправлено')
      expect(uk.text).toContain('Вітаємо!')
      expect(uk.text).toContain('Ви повідомили нам про помилку в статті «Library reopens».')
      expect(uk.text).toContain('Дякуємо! Редакція додала до статті:')
      expect(uk.text).toContain('Виправлення · ')
      expect(uk.text).toContain(CORRECTION)
      expect(uk.text).toContain('Стерти мій email: ')
      expect(uk.html).toContain('<html lang="uk">')
      expect(uk.html).toContain(CORRECTION)
      expect(uk.html).toContain('Стежити за повідомленням')
      // The second reader's, in English, with the same correction.
      expect(en.subject).toBe('The article you reported has been corrected')
      expect(en.text).toContain(CORRECTION)
      expect(en.html).toContain('<html lang="en">')

      // Each holds its own reader's links only, and nothing of the other reader.
      const mine = [
        { email: uk, self: one.submission_id, other: two.submission_id, them: SECOND },
        { email: en, self: two.submission_id, other: one.submission_id, them: FIRST },
      ]
      for (const { email, self, other, them } of mine) {
        for (const body of [email.text, email.html]) {
          expect(body).not.toContain(them.email)
          if (them.comment) expect(body).not.toContain(them.comment)
          expect(body).not.toContain(other)
          expect(body).toContain(self)
        }
        expect(email.subject).not.toContain(them.email)
      }

      // The status link answers with the report fixed and its correction.
      const status = linkIn(uk.text, '/v1/submissions')
      expect(new URL(status).origin).toBe(world.api)
      const answer = await fetch(status)
      expect(answer.status).toBe(200)
      expect(await answer.json()).toEqual({
        status: 'fixed',
        correction: {
          kind: 'correction',
          text: correction.text,
          published_at: expect.any(String),
        },
      })
      first.forget = linkIn(uk.text, '/forget')
      expect(uk.html).toContain(first.forget.replaceAll('&', '&amp;'))
    },
  )
})

describeInBrowser('the erase link of a reader’s email', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('erases that reader’s email at the press of its button, not on opening', async () => {
    expect(first.forget, 'the first reader’s email (the test above)').not.toBe('')
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors = watchErrors(page)
    const opened = await page.goto(first.forget)
    expect(opened?.status()).toBe(200)
    await page.getByRole('heading', { level: 1, name: 'Стерти мій email' }).waitFor()
    // Opening the link, as a mail scanner would, erases nothing.
    expect(await emailOf(first.submission)).toBe(FIRST.email)

    await page.getByRole('button', { name: 'Стерти мій email' }).click()
    await page.getByRole('heading', { level: 1, name: 'Ваш email стерто' }).waitFor()
    await page.screenshot({ path: `${ARTIFACTS}/notifications-forget-uk.png` })
    expect(await emailOf(first.submission)).toBeNull()
    expect(await emailOf(second)).toBe(SECOND.email)
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('webhooks, verified with the standardwebhooks library', () => {
  it(
    'delivers report.created and correction.published, signed, and logs them delivered',
    { timeout: 60_000 },
    async () => {
      const endpoint = await register('/hook', ['report.created', 'correction.published'])
      const report = await submit({
        url: `${world.site.origin}/2026/05/council-budget`,
        quote: 'the budget grew by 12 percent',
      })
      await until('the report.created delivery', () =>
        received.find((request) => request.path === '/hook' && request.body.includes(report.id)),
      )
      const correction = await publish(report.id, 'The budget grew by 2 percent, not 12.')

      const deliveries = await until('both deliveries', () => {
        const mine = received.filter((request) => request.path === '/hook')
        return mine.length >= 2 ? mine : undefined
      })
      expect(deliveries.value).toHaveLength(2)
      const verifier = new Webhook(endpoint.secret)
      const payloads = deliveries.value.map((request) => {
        const headers: Record<string, string> = {}
        for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
          headers[name] = String(request.headers[name])
        }
        expect(request.headers['content-type']).toBe('application/json')
        return verifier.verify(request.body, headers) as {
          type: string
          timestamp: string
          data: Record<string, unknown>
        }
      })
      expect(payloads.map((payload) => payload.type)).toEqual([
        'report.created',
        'correction.published',
      ])
      // Each delivery is what the document's `webhooks` say, headers and body, checked by ajv.
      const contract = new Contract(await (await fetch(`${world.api}/openapi.json`)).json())
      deliveries.value.forEach((request, n) => {
        const exchange = {
          url: new URL(`http://127.0.0.1${request.path}`),
          requestHeaders: new Headers(
            Object.entries(request.headers).map(([name, value]): [string, string] => [
              name,
              String(value),
            ]),
          ),
          requestBody: request.body,
          status: 0,
          headers: new Headers(),
          text: '',
        }
        expect(contract.deliveryProblems(payloads[n]!.type, exchange)).toEqual([])
      })
      const bent = { ...payloads[1]!, data: { report_id: 7 } }
      expect(
        contract.deliveryProblems('correction.published', {
          url: new URL('http://127.0.0.1/hook'),
          requestHeaders: new Headers({ 'content-type': 'application/json' }),
          requestBody: JSON.stringify(bent),
          status: 0,
          headers: new Headers(),
          text: '',
        }),
      ).not.toEqual([])
      expect(payloads[0]!.data).toMatchObject({ report: { id: report.id } })
      expect(payloads[1]!.data).toMatchObject({
        report_id: report.id,
        correction: { id: correction.id, text: correction.text },
      })
      // Signed with another secret, the same bytes are refused.
      const other = new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64'))
      const [firstDelivery] = deliveries.value
      expect(() =>
        other.verify(firstDelivery!.body, {
          'webhook-id': String(firstDelivery!.headers['webhook-id']),
          'webhook-timestamp': String(firstDelivery!.headers['webhook-timestamp']),
          'webhook-signature': String(firstDelivery!.headers['webhook-signature']),
        }),
      ).toThrow()

      // The delivery log records each attempt once it ends, just after the answer.
      const log = await until('the delivery log', async () => {
        const response = await admin(`/webhooks/${endpoint.id}/deliveries`)
        expect(response.status).toBe(200)
        const page = (await response.json()) as {
          items: { event: string; message_id: string; outcome: string; status_code: number }[]
        }
        return page.items.length >= 2 ? page.items : undefined
      })
      expect(log.value).toHaveLength(2)
      expect(log.value.map((row) => row.event).sort()).toEqual([
        'correction.published',
        'report.created',
      ])
      for (const row of log.value) {
        expect(row).toMatchObject({ outcome: 'delivered', status_code: 204, attempt: 1 })
      }
      expect(log.value.map((row) => row.message_id).sort()).toEqual(
        deliveries.value.map((request) => String(request.headers['webhook-id'])).sort(),
      )
      // The readers of the first test got no other email meanwhile (this report had no email).
      expect(logged).toHaveLength(2)
    },
  )
})
