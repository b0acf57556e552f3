/**
 * One attempt at delivering one webhook message: the signed POST and what came of it, in the
 * words a delivery row records. Never throws; retrying is the queue consumer's business.
 */
import type { NotifyEvent } from './messages'
import { signatureHeaders } from './sign'
import { isSlackWebhook, slackText } from './slack'

/** How long one attempt waits for the endpoint's answer before it counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000

export interface DeliveryOutcome {
  ok: boolean
  status_code: number | null
  error: string | null
}

/** The bytes that are signed and sent: the event, or Slack's `{ "text" }` for a Slack URL. */
export function deliveryBody(url: string, event: NotifyEvent): string {
  if (isSlackWebhook(url)) return JSON.stringify({ text: slackText(event) })
  return JSON.stringify({ type: event.type, timestamp: event.timestamp, data: event.data })
}

function failed(status_code: number | null, error: string): DeliveryOutcome {
  return { ok: false, status_code, error }
}

/**
 * POSTs `message` to `endpoint`, signed as Standard Webhooks says, and reports the outcome. A
 * 3xx is not followed (the endpoint must answer itself); the answer's body is never read, so
 * nothing the endpoint says reaches the delivery log.
 */
export async function deliverWebhook(
  endpoint: { url: string; secret: string },
  message: { message_id: string; event: NotifyEvent },
  now = Date.now(),
): Promise<DeliveryOutcome> {
  const body = deliveryBody(endpoint.url, message.event)
  const signature = await signatureHeaders(
    endpoint.secret,
    message.message_id,
    Math.floor(now / 1000),
    body,
  )
  let response: Response
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'readerdesk-webhooks',
        ...signature,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    })
  } catch (error) {
    // AbortSignal.timeout rejects with a DOMException named TimeoutError.
    const timedOut = (error as { name?: unknown } | null)?.name === 'TimeoutError'
    return failed(
      null,
      timedOut ? `timed out after ${DELIVERY_TIMEOUT_MS / 1000} s` : 'could not connect',
    )
  }
  // An unread body would hold the connection open until the runtime gave up on it.
  await response.body?.cancel().catch(() => undefined)
  if (response.status < 200 || response.status > 299) {
    return failed(response.status, `HTTP ${response.status}`)
  }
  return { ok: true, status_code: response.status, error: null }
}
