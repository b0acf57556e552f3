/** SQL of the webhook endpoints admins register, and of the attempts made to deliver to them. */
import { z } from '@hono/zod-openapi'
import { newId } from '../http/crypto'
import { firstOf, rowsOf } from '../http/d1'
import { newWebhookSecret } from './sign'
import {
  EventTypeSchema,
  type WebhookEndpointCreatedSchema,
  type WebhookDeliverySchema,
  type WebhookEndpointInputSchema,
  type WebhookEndpointSchema,
} from './webhook-schemas'

/** A newsroom has a handful of tools; more endpoints than this is a mistake, not a need. */
export const MAX_ENDPOINTS = 20

export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>
export type WebhookCreated = z.infer<typeof WebhookEndpointCreatedSchema>
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>

interface EndpointRow {
  id: string
  url: string
  /** The JSON array of event types, as stored. */
  events: string
  created_at: string
}

const ENDPOINT_COLUMNS = 'id, url, events, created_at'
const DELIVERY_COLUMNS = 'id, event, message_id, attempt, status_code, error, at, outcome'

const StoredEventsSchema = z.array(EventTypeSchema)

function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: StoredEventsSchema.parse(JSON.parse(row.events)),
    created_at: row.created_at,
  }
}

/**
 * Registers an endpoint with a new secret, returned this once; `null` when the newsroom
 * already has MAX_ENDPOINTS. The count and the insert are one statement, so two admins adding
 * the last endpoint at once cannot both get it.
 */
export async function createEndpoint(
  db: D1Database,
  input: z.infer<typeof WebhookEndpointInputSchema>,
  createdBy: string,
): Promise<WebhookCreated | null> {
  const secret = newWebhookSecret()
  const row = await db
    .prepare(
      `INSERT INTO webhook_endpoints (id, url, events, secret, created_at, created_by)
       SELECT ?, ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM webhook_endpoints) < ?
       RETURNING ${ENDPOINT_COLUMNS}`,
    )
    .bind(
      newId('whk'),
      input.url,
      JSON.stringify(input.events),
      secret,
      new Date().toISOString(),
      createdBy,
      MAX_ENDPOINTS,
    )
    .first<EndpointRow>()
  return row && { ...toEndpoint(row), secret }
}

/** Endpoints newest first, keyset-paged on (created_at, id). */
export async function listEndpoints(
  db: D1Database,
  after: [string, string] | null,
  limit: number,
): Promise<WebhookEndpoint[]> {
  const { results } = await db
    .prepare(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
       ${after ? 'WHERE (created_at, id) < (?, ?)' : ''}
       ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(...(after ?? []), limit + 1)
    .all<EndpointRow>()
  return results.map(toEndpoint)
}

export async function findEndpoint(db: D1Database, id: string): Promise<WebhookEndpoint | null> {
  const row = await db
    .prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?`)
    .bind(id)
    .first<EndpointRow>()
  return row && toEndpoint(row)
}

/**
 * Removes the endpoint and, by its foreign key, its deliveries. `false` if there was none.
 * RETURNING says which, since D1's change count includes the rows the cascade removed.
 */
export async function deleteEndpoint(db: D1Database, id: string): Promise<boolean> {
  const row = await db
    .prepare('DELETE FROM webhook_endpoints WHERE id = ? RETURNING id')
    .bind(id)
    .first<{ id: string }>()
  return row !== null
}

/**
 * An endpoint's delivery attempts newest first, keyset-paged on (at, id); `null` when there is
 * no such endpoint (an endpoint without deliveries has an empty page).
 */
export async function listDeliveries(
  db: D1Database,
  endpointId: string,
  after: [string, string] | null,
  limit: number,
): Promise<WebhookDelivery[] | null> {
  const [endpoint, deliveries] = await db.batch([
    db.prepare('SELECT id FROM webhook_endpoints WHERE id = ?').bind(endpointId),
    db
      .prepare(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
         WHERE endpoint_id = ? ${after ? 'AND (at, id) < (?, ?)' : ''}
         ORDER BY at DESC, id DESC LIMIT ?`,
      )
      .bind(endpointId, ...(after ?? []), limit + 1),
  ])
  if (!firstOf<{ id: string }>(endpoint)) return null
  return rowsOf<WebhookDelivery>(deliveries)
}
