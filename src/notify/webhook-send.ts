/** One delivery of one message to one endpoint, recorded whatever it gave. */
import type { Env } from '../env'
import { newId } from '../http/crypto'
import { deliverWebhook } from './deliver'
import type { WebhookMessage } from './messages'

/**
 * Delivers the message to its endpoint, as it is now (a removed endpoint gets nothing), and
 * records the attempt; `true` when nothing is left to do, `false` to try again.
 */
export async function sendWebhook(
  env: Env,
  message: WebhookMessage,
  attempt: number,
  last: boolean,
): Promise<boolean> {
  const endpoint = await env.DB.prepare('SELECT url, secret FROM webhook_endpoints WHERE id = ?')
    .bind(message.endpoint_id)
    .first<{ url: string; secret: string }>()
  if (!endpoint) return true
  const result = await deliverWebhook(endpoint, message)
  const outcome = result.ok ? 'delivered' : last ? 'failed' : 'retrying'
  await env.DB.prepare(
    `INSERT INTO webhook_deliveries (id, endpoint_id, event, message_id, attempt, status_code, error,
       outcome, at)
     SELECT ?1, id, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM webhook_endpoints WHERE id = ?2`,
  )
    .bind(
      newId('dlv'),
      message.endpoint_id,
      message.event.type,
      message.message_id,
      attempt,
      result.status_code,
      result.error,
      outcome,
      new Date().toISOString(),
    )
    .run()
  return result.ok
}
