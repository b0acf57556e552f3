/**
 * The deliveries readerdesk sends, in the OpenAPI document's `webhooks`: each event's body and
 * the Standard Webhooks headers that sign it, so that a newsroom's tools can be generated from,
 * and check what they receive against, the same document as the API.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi'
import { PublishedCorrectionSchema } from '../corrections/schemas'
import type { AppEnv } from '../http/context'
import { jsonRequestBody } from '../http/openapi'
import { SupporterSchema } from '../support/supporter-schemas'
import { ReportEventSchema, ReportItemSchema } from '../triage/schemas'
import type { EventType } from './messages'

const SignatureHeadersSchema = z.object({
  'webhook-id': z.string().openapi({
    description: 'The message’s id: the same on every retry of one message; drop repeats by it.',
  }),
  'webhook-timestamp': z
    .string()
    .regex(/^\d+$/)
    .openapi({ description: 'When this attempt was sent, in seconds since the Unix epoch.' }),
  'webhook-signature': z.string().openapi({
    description:
      '`v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with ' +
      'the bytes the endpoint’s `whsec_` secret encodes; any Standard Webhooks library verifies it.',
  }),
})

const DATA: Record<EventType, { summary: string; data: z.ZodType; name: string }> = {
  'report.created': {
    name: 'ReportCreatedEvent',
    summary: 'A new report (not a reader joining one); never spam',
    data: z.object({ report: ReportItemSchema }),
  },
  'report.updated': {
    name: 'ReportUpdatedEvent',
    summary: 'A report changed: moved, assigned, noted, or fixed by its correction',
    data: z.object({
      report: ReportItemSchema,
      changes: z.array(ReportEventSchema).openapi({
        description: 'What changed, as the report’s history records it.',
      }),
    }),
  },
  'correction.published': {
    name: 'CorrectionPublishedEvent',
    summary: 'A report’s correction was published',
    data: z.object({ correction: PublishedCorrectionSchema, report_id: z.string() }),
  },
  'supporter.started': {
    name: 'SupporterStartedEvent',
    summary: 'Someone began to support the newsroom (or came back, or subscribed after a gift)',
    data: z.object({ supporter: SupporterSchema }),
  },
  'supporter.canceled': {
    name: 'SupporterCanceledEvent',
    summary: 'A supporter’s subscription ended',
    data: z.object({ supporter: SupporterSchema }),
  },
}

/** Adds every event readerdesk delivers to the document's `webhooks`. */
export function documentWebhooks(app: OpenAPIHono<AppEnv>): void {
  for (const [type, { name, summary, data }] of Object.entries(DATA)) {
    const body = z
      .object({
        type: z.literal(type),
        timestamp: z.string().openapi({ description: 'When the change committed (ISO 8601).' }),
        data,
      })
      .openapi(name)
    app.openAPIRegistry.registerWebhook({
      method: 'post',
      path: type,
      tags: ['Webhooks'],
      summary,
      description:
        'Sent to every endpoint registered for this event (`POST /v1/admin/webhooks`). A 2xx ' +
        'answer within 10 s is a delivery; anything else is retried with backoff. Endpoints at ' +
        '`https://hooks.slack.com/` get a Slack message (`{ "text" }`) instead.',
      operationId: `${type.replace('.', '_')}_webhook`,
      request: { headers: SignatureHeadersSchema, body: jsonRequestBody(body) },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery.' } },
    })
  }
}
