import { createRoute } from '@hono/zod-openapi'
import { jsonBody } from '../http/body'
import { jsonContent, problemResponses } from '../http/openapi'
import { ApiError } from '../http/problem'
import { createRouter } from '../http/router'
import { notifier, type PendingEvent } from '../notify/produce'
import { STRIPE_API_VERSION } from './api-version'
import type { Effect } from './effects'
import { interpretEvent, keyMode, PayloadError, type EventEnvelope } from './events'
import { applyEffect, type SupporterTransition } from './ledger'
import { WebhookReceivedSchema } from './schemas'
import { notConfigured, verifiedEvent } from './stripe'

/** Stripe's webhook: each verified event of our API version, applied to D1 once. */
export const stripeWebhook = createRouter()

const webhookRoute = createRoute({
  method: 'post',
  path: '/v1/webhooks/stripe',
  tags: ['Supporters'],
  summary: 'Stripe’s events',
  description:
    'The endpoint to give Stripe. The `Stripe-Signature` header is verified over the raw body with ' +
    'STRIPE_WEBHOOK_SECRET (five minutes either way) before anything is parsed. Events must be of API ' +
    `version ${STRIPE_API_VERSION} (else 400 \`api_version_mismatch\`, logged). Each event id takes effect ` +
    'once; a failure answers 5xx and leaves nothing behind, so Stripe’s retry can succeed; an event that ' +
    'can never be applied (a timestamp out of range, a negative amount) answers 400 `validation_failed`. ' +
    'Events of the other mode, about objects that are not ours, or of types not handled are acknowledged ' +
    'and ignored. Needs STRIPE_SECRET_KEY too, whose prefix tells live from test mode. Body: a Stripe ' +
    'event, up to 1 MiB.',
  middleware: [jsonBody(1024 * 1024)] as const,
  responses: {
    200: {
      description: 'Received.',
      content: jsonContent(WebhookReceivedSchema),
    },
    ...problemResponses(400, 413, 415, 503),
  },
})

const SUPPORTING = ['active', 'past_due', 'one_time']

/**
 * What a supporter's new status tells the newsroom: `supporter.started` when someone begins to
 * support (from nothing or after canceling, or a one-time giver who subscribes), and
 * `supporter.canceled` when their subscription ends.
 */
function supporterEvent({
  supporter_id,
  from_status,
  to_status,
}: SupporterTransition): PendingEvent[] {
  const about = { supporter_id }
  if (to_status === 'canceled') return [{ type: 'supporter.canceled', about }]
  const began = from_status === null || from_status === 'canceled'
  const subscribed = from_status === 'one_time' && to_status !== 'one_time'
  if (to_status && SUPPORTING.includes(to_status) && (began || subscribed))
    return [{ type: 'supporter.started', about }]
  return []
}

/** What the event means for us; 400 when an event of a handled type lacks a field we rely on. */
function effectOf(event: EventEnvelope, secretKey: string): Effect {
  try {
    return interpretEvent(event, keyMode(secretKey))
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error
    console.warn(JSON.stringify({ level: 'warn', message: error.message }))
    throw new ApiError('validation_failed', 'This event lacks a field readerdesk relies on.', {
      errors: [{ path: 'data.object', message: error.message }],
    })
  }
}

/**
 * Refuses an event of another API version: its objects have other shapes, so reading it as
 * ours could drop or misread a payment in silence. Refused, Stripe shows the endpoint failing
 * and retries, until the endpoint's version is set right.
 */
function assertApiVersion(event: EventEnvelope): void {
  if (event.api_version === STRIPE_API_VERSION) return
  console.warn(
    JSON.stringify({
      level: 'warn',
      message: 'stripe: event of another API version refused',
      event: event.id,
      type: event.type,
      api_version: event.api_version ?? null,
      expected: STRIPE_API_VERSION,
    }),
  )
  throw new ApiError(
    'api_version_mismatch',
    `This endpoint reads Stripe API version ${STRIPE_API_VERSION}; set the webhook endpoint's API version to it.`,
  )
}

stripeWebhook.openapi(webhookRoute, async (c) => {
  const config = c.get('config')
  const secret = config.stripe.webhookSecret
  if (!secret) throw notConfigured('STRIPE_WEBHOOK_SECRET')
  const event = await verifiedEvent(c.get('rawBody'), c.req.header('stripe-signature'), secret)
  assertApiVersion(event)
  const secretKey = config.stripe.secretKey
  if (!secretKey) throw notConfigured('STRIPE_SECRET_KEY')
  const effect = effectOf(event, secretKey)
  if (effect.kind === 'ignore') return c.json({ received: true as const, outcome: 'ignored' }, 200)
  const applied = await applyEffect(c.env.DB, event, effect, new Date().toISOString())
  notifier(c)(applied.transitions.flatMap(supporterEvent))
  return c.json({ received: true as const, outcome: applied.outcome }, 200)
})
