/**
 * Notifications in tests: webhook endpoints on the fake receiver (test/helpers/fake-services.ts),
 * registered through the admin API, and the queue consumer run on a batch of our choosing.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { expect } from 'vitest'
import worker from '../../src/index'
import type { NotifyMessage } from '../../src/notify/messages'
import { asEditor } from './editors'
import { env, type TestEnv } from './http'

export interface HookRequest {
  method: string
  headers: Record<string, string>
  body: string
  at: string
}

/** A named endpoint on the fake receiver, unique to the test. */
export function hook(name = `hook-${crypto.randomUUID().slice(0, 8)}`) {
  const url = `${env.FAKE_HOOKS_URL}/hooks/${name}`
  return {
    url,
    async script(script: { responses?: number[]; delay_ms?: number }) {
      await fetch(`${url}/script`, { method: 'PUT', body: JSON.stringify(script) })
    },
    async requests(): Promise<HookRequest[]> {
      return (await fetch(`${url}/requests`)).json()
    },
  }
}

export interface Endpoint {
  id: string
  url: string
  events: string[]
  secret: string
}

/** An endpoint registered by the admin, receiving `events`. */
export async function register(url: string, events: string[]): Promise<Endpoint> {
  const response = await asEditor('/v1/admin/webhooks', { json: { url, events } })
  expect(response.status).toBe(201)
  return response.json()
}

/** Polls `read` until `done` holds of what it returns, or fails after `ms`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Waits long enough for the queue to have delivered anything it was going to (two hops). */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 6_000))

let sequence = 0

/** Runs the Worker's queue handler on these messages, as the NOTIFY consumer gets them. */
export async function consume(
  bodies: NotifyMessage[],
  options: { attempts?: number; env?: Partial<TestEnv> } = {},
) {
  const batch = createMessageBatch<NotifyMessage>(
    'readerdesk-notify',
    bodies.map((body) => ({
      id: `m${(sequence += 1)}`,
      timestamp: new Date(),
      attempts: options.attempts ?? 1,
      body,
    })),
  )
  const ctx = createExecutionContext()
  await worker.queue(batch, { ...env, ...options.env })
  return getQueueResult(batch, ctx)
}

/** A reader's emails as the consumer recorded them. */
export async function readerEmails(submissionId: string) {
  const { results } = await env.DB.prepare(
    'SELECT outcome, state, attempts, message_id, error FROM reader_emails WHERE submission_id = ?',
  )
    .bind(submissionId)
    .all<{ outcome: string; state: string; attempts: number; message_id: string | null }>()
  return results
}

export interface SentEmail {
  from: string
  to: string
  subject: string
  text: string
  html: string
}

/**
 * The local `send_email` binding, with what it is asked to send written down: every email
 * still goes through the real binding, which refuses what Email Service would.
 */
export function recordingEmail(sent: SentEmail[]): SendEmail {
  const real = env.EMAIL as SendEmail
  return {
    async send(message: unknown) {
      sent.push(message as SentEmail)
      return real.send(message as Parameters<SendEmail['send']>[0] & EmailMessage)
    },
  } as SendEmail
}
