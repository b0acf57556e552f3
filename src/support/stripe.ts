/**
 * Stripe the Workers way: the SDK on fetch and SubtleCrypto, its API version pinned, reaching
 * the API at STRIPE_API_BASE. The only call we make is creating a Checkout Session; webhooks
 * are verified here and parsed only once their signature holds.
 */
import type Stripe from 'stripe'
import type { Config } from '../env'
import { STRIPE_API_VERSION } from './api-version'
import { ApiError } from '../http/problem'
import {
  EventEnvelopeSchema,
  INTERVAL_METADATA_KEY,
  OUR_METADATA_KEY,
  TIER_METADATA_KEY,
  type EventEnvelope,
} from './events'

/** The 503 of a feature whose Stripe setting (`what`) this deployment lacks. */
export const notConfigured = (what: string) =>
  new ApiError('not_configured', `${what} is not configured on this deployment.`)

/** Seconds a webhook signature stays valid: Stripe's default, five minutes. */
export const WEBHOOK_TOLERANCE_S = 300

/**
 * The SDK, loaded by the first checkout or webhook an isolate serves: readers' requests never
 * need it, and a fresh isolate answers them without first evaluating it.
 */
const loadSdk = () => import('stripe').then((module) => module.default)

let cryptoProvider: ReturnType<(typeof Stripe)['createSubtleCryptoProvider']> | undefined

export async function stripeClient(config: Config, secretKey: string): Promise<Stripe> {
  const Sdk = await loadSdk()
  const base = config.stripe.apiBase
  const protocol = base.protocol === 'http:' ? 'http' : 'https'
  return new Sdk(secretKey, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Sdk.createFetchHttpClient(),
    host: base.hostname,
    port: base.port || (protocol === 'http' ? 80 : 443),
    protocol,
    maxNetworkRetries: 1,
    timeout: 10_000,
    telemetry: false,
  })
}

/** What a reader is buying, priced by us: a tier, or a validated custom amount. */
export interface Offer {
  name: string
  description: string
  amount: number
  currency: string
  interval: 'once' | 'month' | 'year'
  tierId: string | null
}

export interface ReturnUrls {
  successUrl: string
  cancelUrl: string | undefined
}

/** The session's parameters: priced inline, marked as ours on the session and what it creates. */
export function checkoutParams(
  offer: Offer,
  urls: ReturnUrls,
  email: string | undefined,
): Stripe.Checkout.SessionCreateParams {
  const metadata: Record<string, string> = {
    [OUR_METADATA_KEY]: '1',
    [INTERVAL_METADATA_KEY]: offer.interval,
  }
  if (offer.tierId) metadata[TIER_METADATA_KEY] = offer.tierId
  const recurring = offer.interval === 'once' ? undefined : { interval: offer.interval }
  const lineItem: Stripe.Checkout.SessionCreateParams.LineItem = {
    quantity: 1,
    price_data: {
      currency: offer.currency,
      unit_amount: offer.amount,
      product_data: {
        name: offer.name,
        ...(offer.description ? { description: offer.description } : {}),
      },
      ...(recurring ? { recurring } : {}),
    },
  }
  const shared = {
    line_items: [lineItem],
    success_url: urls.successUrl,
    ...(urls.cancelUrl ? { cancel_url: urls.cancelUrl } : {}),
    ...(email ? { customer_email: email } : {}),
    metadata,
  }
  return recurring
    ? { ...shared, mode: 'subscription', subscription_data: { metadata } }
    : {
        ...shared,
        mode: 'payment',
        payment_intent_data: { metadata },
        customer_creation: 'always',
        submit_type: 'donate',
      }
}

/** Creates the Checkout Session: the one Stripe call, made safe to retry by its idempotency key. */
export async function createCheckoutSession(
  client: Stripe,
  params: Stripe.Checkout.SessionCreateParams,
  idempotencyKey: string,
): Promise<{ id: string; url: string }> {
  let session: Stripe.Checkout.Session
  try {
    session = await client.checkout.sessions.create(params, { idempotencyKey })
  } catch (error) {
    // Stripe's own message can quote what the reader typed (an email): log its codes only.
    const stripe = error instanceof (await loadSdk()).errors.StripeError ? error : null
    console.error(
      JSON.stringify({
        level: 'error',
        message: 'stripe: checkout session not created',
        type: stripe?.type ?? (error instanceof Error ? error.name : 'unknown'),
        code: stripe?.code ?? null,
        status: stripe?.statusCode ?? null,
        stripe_request_id: stripe?.requestId ?? null,
      }),
    )
    throw new ApiError('internal', 'Stripe could not start the checkout; try again.', {
      status: 502,
    })
  }
  if (!session.url)
    throw new ApiError('internal', 'Stripe returned a session without a URL.', { status: 502 })
  return { id: session.id, url: session.url }
}

/**
 * Whether the signature's timestamp (`t=`) lies more than the tolerance ahead: Stripe's own
 * check refuses only stale ones, and a signature from the future is as suspect as an old one.
 */
function datedAhead(signature: string, nowSeconds: number): boolean {
  return [...signature.matchAll(/(?:^|,)\s*t=(\d+)/g)].some(
    ([, timestamp]) => Number(timestamp) > nowSeconds + WEBHOOK_TOLERANCE_S,
  )
}

const invalidSignature = () =>
  new ApiError(
    'signature_invalid',
    'The Stripe-Signature header does not match this body, or is too old or too far ahead.',
  )

/**
 * Verifies the Stripe-Signature header over the raw bytes (HMAC-SHA256, five minutes either
 * way), and only then parses the event: 400 `signature_invalid` for a bad, missing, stale or
 * future signature, 400 `validation_failed` for a signed body that is not an event.
 */
export async function verifiedEvent(
  rawBody: Uint8Array,
  signature: string | undefined,
  secret: string,
): Promise<EventEnvelope> {
  if (signature && datedAhead(signature, Math.floor(Date.now() / 1000))) throw invalidSignature()
  const Sdk = await loadSdk()
  let parsed: unknown
  try {
    parsed = await Sdk.webhooks.constructEventAsync(
      rawBody,
      signature ?? '',
      secret,
      WEBHOOK_TOLERANCE_S,
      (cryptoProvider ??= Sdk.createSubtleCryptoProvider()),
    )
  } catch (error) {
    if (error instanceof Sdk.errors.StripeSignatureVerificationError) throw invalidSignature()
    if (error instanceof SyntaxError) throw malformedEvent('malformed JSON')
    throw error
  }
  const event = EventEnvelopeSchema.safeParse(parsed)
  if (!event.success) throw malformedEvent('not a Stripe event')
  return event.data
}

function malformedEvent(message: string): ApiError {
  return new ApiError('validation_failed', 'The signed body is not a Stripe event.', {
    errors: [{ path: '(body)', message }],
  })
}
