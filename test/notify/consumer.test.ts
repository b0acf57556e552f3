/**
 * The NOTIFY consumer on batches of our choosing (as a redelivery or a retry would bring them),
 * against the real D1, the real local send_email binding and the fake receiver.
 */
import { describe, expect, it } from 'vitest'
import { MAX_ATTEMPTS, retryDelay } from '../../src/notify/consume'
import type { EmailMessage, WebhookMessage } from '../../src/notify/messages'
import { asEditor } from '../helpers/editors'
import { reportInput } from '../helpers/factories'
import { call, env } from '../helpers/http'
import {
  consume,
  hook,
  readerEmails,
  recordingEmail,
  register,
  type SentEmail,
} from '../helpers/notify'

const FROM = 'desk@news.example'

async function reportWith(overrides: Record<string, unknown>) {
  const response = await call('/v1/reports', { json: reportInput(overrides) })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; submission_id: string; status_url: string }
}

const correction = {
  kind: 'correction',
  text: 'An earlier version misstated the budget.',
  published_at: '2026-11-30T10:00:00.000Z',
}

function emailFor(submissionId: string, outcome: EmailMessage['outcome']): EmailMessage {
  return {
    kind: 'email',
    submission_id: submissionId,
    outcome,
    correction: outcome === 'correction' ? correction : null,
    via_duplicate: false,
  }
}

function emailEnv(sent: SentEmail[]) {
  return { EMAIL_FROM: FROM, EMAIL: recordingEmail(sent) }
}

describe('readers’ emails', () => {
  it('sends once when the queue delivers the same message twice, or twice in one batch', async () => {
    const { submission_id } = await reportWith({ email: 'twice@example.org' })
    const sent: SentEmail[] = []
    const message = emailFor(submission_id, 'correction')
    const first = await consume([message, message], { env: emailEnv(sent) })
    const again = await consume([message], { env: emailEnv(sent) })
    expect(sent).toHaveLength(1)
    expect(first.explicitAcks).toHaveLength(2)
    expect(again.explicitAcks).toHaveLength(1)
    expect(await readerEmails(submission_id)).toEqual([
      expect.objectContaining({ outcome: 'correction', state: 'sent', attempts: 1 }),
    ])
  })

  it('writes to the reader, in their language, with links that work, and nobody else’s data', async () => {
    const input = reportInput({ lang: 'es-MX' })
    const reader = await reportWith({ ...input, email: 'lector@example.org' })
    const other = await reportWith({
      ...input,
      email: 'other@example.org',
      comment: 'A secret remark',
    })
    expect(other.id).toBe(reader.id)
    const sent: SentEmail[] = []
    await consume([emailFor(reader.submission_id, 'correction')], { env: emailEnv(sent) })
    const [email] = sent
    expect(email).toMatchObject({ from: FROM, to: 'lector@example.org' })
    expect(email?.html).toContain('lang="es"')
    for (const part of [email?.text ?? '', email?.html ?? '', email?.subject ?? '']) {
      expect(part).not.toContain('other@example.org')
      expect(part).not.toContain('A secret remark')
      expect(part).not.toContain(other.submission_id)
    }
    expect(email?.text).toContain(correction.text)
    const links = [...(email?.text ?? '').matchAll(/https?:\/\/\S+/g)].map(([link]) => link)
    const status = links.find((link) => link.includes('/v1/submissions/'))
    const forget = links.find((link) => link.includes('/forget/'))
    expect(new URL(status ?? '').origin).toBe('https://api.news.example')
    expect(status).not.toBe(reader.status_url)
    const shown = await call(new URL(status ?? '').pathname + new URL(status ?? '').search)
    expect(shown.status).toBe(200)
    const page = await call(new URL(forget ?? '').pathname + new URL(forget ?? '').search)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<form')
    // Opening the link erased nothing: only the page's button does.
    const { email: kept } = (await env.DB.prepare('SELECT email FROM submissions WHERE id = ?')
      .bind(reader.submission_id)
      .first<{ email: string }>()) ?? { email: null }
    expect(kept).toBe('lector@example.org')
  })

  it('sends nothing without EMAIL_FROM, and nothing to a reader who erased their address', async () => {
    const reader = await reportWith({ email: 'quiet@example.org' })
    const sent: SentEmail[] = []
    const unset = await consume([emailFor(reader.submission_id, 'correction')], {
      env: { EMAIL: recordingEmail(sent), EMAIL_FROM: '' },
    })
    expect(unset.explicitAcks).toHaveLength(1)
    const erased = await call(reader.status_url.replace('https://api.news.example', ''), {
      method: 'DELETE',
    })
    expect(erased.status).toBe(204)
    await consume([emailFor(reader.submission_id, 'correction')], { env: emailEnv(sent) })
    expect(sent).toEqual([])
    expect(await readerEmails(reader.submission_id)).toEqual([
      expect.objectContaining({ state: 'skipped' }),
    ])
  })

  it('retries a send that failed, and then sends once', async () => {
    const reader = await reportWith({ email: 'retry@example.org' })
    const failing = {
      async send() {
        throw new Error('Email Service is unavailable')
      },
    } as unknown as SendEmail
    const failed = await consume([emailFor(reader.submission_id, 'correction')], {
      env: { EMAIL_FROM: FROM, EMAIL: failing },
    })
    expect(failed.retryMessages).toEqual([{ msgId: expect.any(String) }])
    expect(await readerEmails(reader.submission_id)).toEqual([
      expect.objectContaining({ state: 'failed', attempts: 1 }),
    ])
    const sent: SentEmail[] = []
    await consume([emailFor(reader.submission_id, 'correction')], {
      env: emailEnv(sent),
      attempts: 2,
    })
    expect(sent).toHaveLength(1)
    expect(await readerEmails(reader.submission_id)).toEqual([
      expect.objectContaining({ state: 'sent', attempts: 2 }),
    ])
  })

  it('tells of a rejection only while the report stays rejected', async () => {
    const reader = await reportWith({ email: 'rejected@example.org' })
    const move = (status: string) =>
      asEditor(`/v1/admin/reports/${reader.id}`, { method: 'PATCH', json: { status } })
    expect((await move('rejected')).status).toBe(200)
    expect((await move('triaged')).status).toBe(200)
    const sent: SentEmail[] = []
    await consume([emailFor(reader.submission_id, 'rejected')], { env: emailEnv(sent) })
    expect(sent).toEqual([])
    expect((await move('rejected')).status).toBe(200)
    await consume([emailFor(reader.submission_id, 'rejected')], { env: emailEnv(sent) })
    expect(sent).toHaveLength(1)
    expect(sent[0]?.text).not.toContain(correction.text)
  })
})

function webhookFor(endpointId: string, messageId = `msg_${crypto.randomUUID()}`): WebhookMessage {
  return {
    kind: 'webhook',
    endpoint_id: endpointId,
    message_id: messageId,
    event: {
      id: `evt_${crypto.randomUUID()}`,
      type: 'report.created',
      timestamp: new Date().toISOString(),
      data: { report: { id: 'rep_1' } },
    },
  }
}

async function deliveryLog(endpointId: string) {
  const response = await asEditor(`/v1/admin/webhooks/${endpointId}/deliveries`)
  return ((await response.json()) as { items: Record<string, unknown>[] }).items
}

describe('retries', () => {
  // The test harness records that a message is retried, not its delay: the delays are here.
  it('back off from 10 s, the first within a minute, up to 30 min', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(retryDelay)).toEqual([10, 30, 120, 600, 1800, 1800, 1800])
    expect(MAX_ATTEMPTS).toBeGreaterThanOrEqual(3)
  })

  it('match wrangler.toml: six attempts in all', async () => {
    const toml = (await import('../../wrangler.toml?raw')).default
    expect(toml).toMatch(/max_retries = 5\n/)
    expect(MAX_ATTEMPTS).toBe(6)
  })
})

describe('a message this version does not know', () => {
  it('is dropped, not retried until the dead-letter queue', async () => {
    const result = await consume([{ kind: 'fax' } as unknown as EmailMessage])
    expect(result.explicitAcks).toHaveLength(1)
    expect(result.retryMessages).toEqual([])
  })
})

describe('webhook deliveries', () => {
  it('retries an endpoint that answered 500, with the same webhook-id, and records both', async () => {
    const target = hook()
    await target.script({ responses: [500, 200] })
    const endpoint = await register(target.url, ['report.created'])
    const message = webhookFor(endpoint.id)
    const first = await consume([message])
    expect(first.retryMessages).toHaveLength(1)
    const second = await consume([message], { attempts: 2 })
    expect(second.explicitAcks).toHaveLength(1)
    const received = await target.requests()
    expect(received.map((request) => request.headers['webhook-id'])).toEqual([
      message.message_id,
      message.message_id,
    ])
    expect(await deliveryLog(endpoint.id)).toEqual([
      expect.objectContaining({ attempt: 2, status_code: 200, outcome: 'delivered' }),
      expect.objectContaining({
        attempt: 1,
        status_code: 500,
        error: 'HTTP 500',
        outcome: 'retrying',
      }),
    ])
  })

  it('gives up on a slow endpoint after 10 s and tries again later', async () => {
    const target = hook()
    await target.script({ delay_ms: 15_000 })
    const endpoint = await register(target.url, ['report.created'])
    const started = Date.now()
    const result = await consume([webhookFor(endpoint.id)])
    expect(Date.now() - started).toBeLessThan(14_000)
    expect(result.retryMessages).toHaveLength(1)
    expect(await deliveryLog(endpoint.id)).toEqual([
      expect.objectContaining({ status_code: null, error: expect.stringMatching(/timed out/) }),
    ])
  }, 30_000)

  it('records the last attempt as failed, and leaves the message to the dead-letter queue', async () => {
    const target = hook()
    await target.script({ responses: [503] })
    const endpoint = await register(target.url, ['report.created'])
    const result = await consume([webhookFor(endpoint.id)], { attempts: 6 })
    expect(result.retryMessages).toHaveLength(1)
    expect(await deliveryLog(endpoint.id)).toEqual([
      expect.objectContaining({ attempt: 6, status_code: 503, outcome: 'failed' }),
    ])
  })

  it('sends nothing to an endpoint removed after the event', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['report.created'])
    expect((await asEditor(`/v1/admin/webhooks/${endpoint.id}`, { method: 'DELETE' })).status).toBe(
      204,
    )
    const result = await consume([webhookFor(endpoint.id)])
    expect(result.explicitAcks).toHaveLength(1)
    expect(await target.requests()).toEqual([])
  })
})
