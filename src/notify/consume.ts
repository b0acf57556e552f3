/**
 * The NOTIFY queue's consumer, in this same Worker: an `event` is fanned out into messages of
 * its own; a `webhook` or `email` message is sent. What fails is retried with backoff (the
 * queue's `max_retries` in wrangler.toml gives six attempts) and then lands in the dead-letter
 * queue; every webhook attempt is in the endpoint's delivery log.
 */
import type { Env } from '../env'
import { fanOut } from './fanout'
import type { NotifyMessage } from './messages'
import { sendReaderEmail } from './reader-send'
import { sendWebhook } from './webhook-send'

/** Attempts in all: the first and wrangler.toml's `max_retries = 5`. */
export const MAX_ATTEMPTS = 6

/** Seconds before the retry that follows attempt n (1-based): 10 s, 30 s, 2 min, 10 min, 30 min. */
const RETRY_DELAYS = [10, 30, 120, 600, 1800] as const

export function retryDelay(attempt: number): number {
  return RETRY_DELAYS[Math.min(Math.max(attempt, 1), RETRY_DELAYS.length) - 1] ?? 1800
}

/** The Queues API takes at most 100 messages per sendBatch. */
const SEND_BATCH = 100

async function handle(env: Env, body: NotifyMessage, attempt: number): Promise<boolean> {
  switch (body.kind) {
    case 'event': {
      const messages = await fanOut(env, body)
      if (!env.NOTIFY) return true
      for (let i = 0; i < messages.length; i += SEND_BATCH) {
        const chunk = messages.slice(i, i + SEND_BATCH)
        await env.NOTIFY.sendBatch(chunk.map((message) => ({ body: message, contentType: 'json' })))
      }
      return true
    }
    case 'webhook':
      return sendWebhook(env, body, attempt, attempt >= MAX_ATTEMPTS)
    case 'email':
      return sendReaderEmail(env, body)
    default:
      // Not a message this code knows (another version's): retrying would not make it one.
      console.error(JSON.stringify({ level: 'error', message: 'notify: unknown message dropped' }))
      return true
  }
}

export async function consumeNotifications(
  batch: MessageBatch<NotifyMessage>,
  env: Env,
): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      let done = false
      try {
        done = await handle(env, message.body, message.attempts)
      } catch (error) {
        console.error(
          JSON.stringify({
            level: 'error',
            message: 'notify: message failed',
            kind: message.body.kind,
            attempt: message.attempts,
            cause: String(error),
          }),
        )
      }
      if (done) message.ack()
      else message.retry({ delaySeconds: retryDelay(message.attempts) })
    }),
  )
}
