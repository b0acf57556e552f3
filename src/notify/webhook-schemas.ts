import { z } from '@hono/zod-openapi'
import { pageSchema } from '../http/paging'
import { codePointLength } from '../http/text'
import { EVENT_TYPES } from './messages'

export const WEBHOOK_URL_MAX = 2048

/**
 * How a webhook URL must be written, as the document shows it: `https://` and a host without
 * credentials, or `http://` on a loopback host, then nothing but visible characters. The
 * server holds every URL to it, so that what the document refuses is never stored.
 */
export const WEBHOOK_URL_PATTERN =
  '^(?:[Hh][Tt][Tt][Pp][Ss]://[^/?#@\\s\\\\]+' +
  '|[Hh][Tt][Tt][Pp]://(?:[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]|127(?:\\.[0-9]{1,3}){3}|\\[::1\\])' +
  '(?::[0-9]{1,5})?)(?:[/?#]\\S*)?$'

const URL_SHAPE = new RegExp(WEBHOOK_URL_PATTERN)

/** Loopback as the URL parser writes the host: 127.0.0.0/8, [::1] or localhost. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
}

/**
 * Why `value` cannot be a webhook's URL, or `null` when it can: absolute, `https:` (or `http:`
 * on loopback, for local use), no credentials, at most 2048 characters, written as the
 * pattern says.
 */
export function webhookUrlProblem(value: string): string | null {
  if (codePointLength(value) > WEBHOOK_URL_MAX) {
    return `must be at most ${WEBHOOK_URL_MAX} characters`
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be an absolute URL'
  }
  if (url.username || url.password) return 'must not carry credentials'
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) return 'must use https (http only on a loopback host)'
  } else if (url.protocol !== 'https:') {
    return 'must be an https URL'
  }
  if (!URL_SHAPE.test(value)) return 'must be written as https://host/… without white space'
  return null
}

const WebhookUrlSchema = z
  .string()
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .openapi({
    type: 'string',
    format: 'uri',
    maxLength: WEBHOOK_URL_MAX,
    pattern: WEBHOOK_URL_PATTERN,
    description:
      'Where deliveries are POSTed: an absolute `https` URL that parses as one, without ' +
      'credentials; `http` only on a loopback host (127.0.0.0/8, `[::1]`, `localhost`) for local ' +
      'use. Stored as sent. A Slack incoming webhook (`https://hooks.slack.com/…`) gets Slack ' +
      'messages instead of signed events.',
    example: 'https://tools.news.example/hooks/readerdesk',
  })

export const EventTypeSchema = z.enum(EVENT_TYPES).openapi('EventType')

/**
 * One refinement rather than `.min()` and `.max()`: zod runs an array's length checks on a
 * string sent in its place, which would add a second, misleading error to "expected array".
 */
const EventListSchema = z
  .array(EventTypeSchema)
  .superRefine((events, ctx) => {
    if (events.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must name at least one event' })
    } else if (new Set(events).size !== events.length) {
      ctx.addIssue({ code: 'custom', message: 'must not name an event twice' })
    }
  })
  .openapi({
    minItems: 1,
    maxItems: EVENT_TYPES.length,
    uniqueItems: true,
    description: 'The events this endpoint receives, each once.',
  })

export const WebhookEndpointInputSchema = z
  .object({ url: WebhookUrlSchema, events: EventListSchema })
  .openapi('WebhookEndpointInput')

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(EventTypeSchema),
    created_at: z.string(),
  })
  .openapi('WebhookEndpoint')

export const WebhookEndpointCreatedSchema = WebhookEndpointSchema.extend({
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
    .openapi({
      description:
        'The signing secret: `whsec_` and the base64 of 32 random bytes. Shown in this answer ' +
        'only; keep it where the receiver can read it.',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
}).openapi('WebhookEndpointCreated')

export const WebhookEndpointPageSchema =
  pageSchema(WebhookEndpointSchema).openapi('WebhookEndpointPage')

export const DELIVERY_OUTCOMES = ['delivered', 'retrying', 'failed'] as const

export const WebhookDeliverySchema = z
  .object({
    id: z.string(),
    event: EventTypeSchema,
    message_id: z.string().openapi({
      description: 'The `webhook-id` header: the same on every attempt of one message.',
    }),
    attempt: z.number().int().min(1).openapi({ description: '1 for the first attempt.' }),
    status_code: z.number().int().nullable().openapi({
      description: 'The endpoint’s HTTP status; `null` when no answer came (timeout, network).',
    }),
    error: z.string().nullable().openapi({
      description:
        'What went wrong (a timeout, a refused connection, a non-2xx answer), or `null`.',
    }),
    at: z.string().openapi({ description: 'When the attempt ended.' }),
    outcome: z.enum(DELIVERY_OUTCOMES).openapi({
      description:
        '`delivered` (a 2xx answer), `retrying` (another attempt follows) or `failed` (this ' +
        'was the last attempt).',
    }),
  })
  .openapi('WebhookDelivery')

export const WebhookDeliveryPageSchema =
  pageSchema(WebhookDeliverySchema).openapi('WebhookDeliveryPage')
