/**
 * Stripe's side of the tests: events shaped as Stripe sends them in API version
 * 2026-10-28.endive (typed against the SDK's own definitions of that version), signed for real
 * with the webhook secret, and delivered to the Worker.
 */
import Stripe from 'stripe'
import { STRIPE_WEBHOOK_SECRET, type RecordedRequest } from './fakes'
import { call, env, type CallOptions } from './http'

import { STRIPE_API_VERSION } from '../../src/support/api-version'

export const API_VERSION = STRIPE_API_VERSION

/** What the fake Stripe API received, oldest first. */
export async function stripeRequests(): Promise<RecordedRequest[]> {
  return (await fetch(`${env.FAKE_STRIPE_URL}/__requests`)).json()
}

export async function clearStripeRequests(): Promise<void> {
  await fetch(`${env.FAKE_STRIPE_URL}/__requests`, { method: 'DELETE' })
}

/** Whatever part of a Stripe type a payload spells out must match the SDK's definition of it. */
type DeepPartial<T> = T extends (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T

let sequence = 0

/** An id in Stripe's style: its prefix and 24 random characters. */
export function stripeId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18))
  return `${prefix}_${btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, 'x')}`
}

/** Seconds since the epoch; each call a second later than the last, so events are ordered. */
export function tick(): number {
  sequence += 1
  return Math.floor(Date.now() / 1000) - 86_400 + sequence
}

export interface EventOptions {
  id?: string
  created?: number
  livemode?: boolean
}

export function stripeEvent<T extends object>(
  type: Stripe.Event.Type,
  object: T,
  options: EventOptions = {},
) {
  return {
    id: options.id ?? stripeId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: options.created ?? tick(),
    data: { object },
    livemode: options.livemode ?? false,
    pending_webhooks: 1,
    request: { id: stripeId('req'), idempotency_key: crypto.randomUUID() },
    type,
  } satisfies DeepPartial<Stripe.EventBase> & { type: string }
}

export type StripeEvent = ReturnType<typeof stripeEvent<object>>

export const OUR_METADATA = { readerdesk: '1' }

export function checkoutSession(fields: {
  mode: 'payment' | 'subscription'
  email: string
  name?: string
  customer: string | null
  subscription?: string | null
  paymentIntent?: string | null
  amount: number
  currency: string
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required'
  metadata: Record<string, string>
}) {
  const created = tick()
  const session = {
    id: stripeId('cs_test'),
    object: 'checkout.session',
    amount_subtotal: fields.amount,
    amount_total: fields.amount,
    cancel_url: 'https://news.example/support',
    client_reference_id: null,
    created,
    currency: fields.currency,
    customer: fields.customer,
    customer_creation: fields.mode === 'payment' ? 'always' : null,
    customer_details: {
      address: {
        city: null,
        country: 'DE',
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
      },
      business_name: null,
      email: fields.email,
      individual_name: null,
      name: fields.name ?? null,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
    customer_email: null,
    expires_at: created + 86_400,
    invoice: null,
    livemode: false,
    metadata: fields.metadata,
    mode: fields.mode,
    payment_intent: fields.paymentIntent ?? null,
    payment_method_types: ['card'],
    payment_status: fields.paymentStatus,
    status: 'complete',
    submit_type: fields.mode === 'payment' ? 'donate' : null,
    subscription: fields.subscription ?? null,
    success_url: 'https://news.example/support/thanks',
    ui_mode: 'hosted',
    url: null,
  } satisfies DeepPartial<Stripe.Checkout.Session>
  return session
}

export function subscription(fields: {
  id: string
  customer: string
  status: Stripe.Subscription.Status
  amount: number
  currency: string
  interval: 'month' | 'year'
  startDate: number
  periodEnd: number
  canceledAt?: number | null
  metadata: Record<string, string>
  quantity?: number
}) {
  const price = {
    id: stripeId('price'),
    object: 'price',
    active: false,
    billing_scheme: 'per_unit',
    created: fields.startDate,
    currency: fields.currency,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: stripeId('prod'),
    recurring: {
      interval: fields.interval,
      interval_count: 1,
      meter: null,
      usage_type: 'licensed',
    },
    tax_behavior: 'unspecified',
    type: 'recurring',
    unit_amount: fields.amount,
    unit_amount_decimal: String(fields.amount),
  } satisfies DeepPartial<Stripe.Price>
  return {
    id: fields.id,
    object: 'subscription',
    billing_cycle_anchor: fields.startDate,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: fields.canceledAt ?? null,
    collection_method: 'charge_automatically',
    created: fields.startDate,
    currency: fields.currency,
    customer: fields.customer,
    ended_at: fields.status === 'canceled' ? (fields.canceledAt ?? null) : null,
    items: {
      object: 'list',
      data: [
        {
          id: stripeId('si'),
          object: 'subscription_item',
          created: fields.startDate,
          current_period_end: fields.periodEnd,
          current_period_start: fields.periodEnd - (fields.interval === 'year' ? 365 : 30) * 86_400,
          metadata: {},
          price,
          quantity: fields.quantity ?? 1,
          subscription: fields.id,
        },
      ],
      has_more: false,
      url: `/v1/subscription_items?subscription=${fields.id}`,
    },
    latest_invoice: stripeId('in'),
    livemode: false,
    metadata: fields.metadata,
    start_date: fields.startDate,
    status: fields.status,
    trial_end: null,
    trial_start: null,
  } satisfies DeepPartial<Stripe.Subscription>
}

export function invoice(fields: {
  id: string
  customer: string
  email: string | null
  subscription: string
  amount: number
  currency: string
  paid: boolean
  metadata: Record<string, string>
  created?: number
}) {
  const created = fields.created ?? tick()
  return {
    id: fields.id,
    object: 'invoice',
    amount_due: fields.amount,
    amount_overpaid: 0,
    amount_paid: fields.paid ? fields.amount : 0,
    amount_remaining: fields.paid ? 0 : fields.amount,
    attempt_count: 1,
    attempted: true,
    billing_reason: 'subscription_cycle',
    collection_method: 'charge_automatically',
    created,
    currency: fields.currency,
    customer: fields.customer,
    customer_email: fields.email,
    customer_name: null,
    livemode: false,
    metadata: {},
    parent: {
      quote_details: null,
      subscription_details: { metadata: fields.metadata, subscription: fields.subscription },
      type: 'subscription_details',
    },
    period_end: created,
    period_start: created - 30 * 86_400,
    status: fields.paid ? 'paid' : 'open',
    status_transitions: {
      finalized_at: created,
      marked_uncollectible_at: null,
      paid_at: fields.paid ? created : null,
      voided_at: null,
    },
    total: fields.amount,
  } satisfies DeepPartial<Stripe.Invoice>
}

export function invoicePayment(fields: {
  invoice: string
  paymentIntent: string
  amount: number
  currency: string
}) {
  const created = tick()
  return {
    id: stripeId('inpay'),
    object: 'invoice_payment',
    amount_paid: fields.amount,
    amount_requested: fields.amount,
    created,
    currency: fields.currency,
    invoice: fields.invoice,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: fields.paymentIntent },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: created },
  } satisfies DeepPartial<Stripe.InvoicePayment>
}

export function charge(fields: {
  id: string
  paymentIntent: string
  customer: string | null
  amount: number
  amountRefunded: number
  currency: string
  metadata?: Record<string, string>
}) {
  return {
    id: fields.id,
    object: 'charge',
    amount: fields.amount,
    amount_captured: fields.amount,
    amount_refunded: fields.amountRefunded,
    captured: true,
    created: tick(),
    currency: fields.currency,
    customer: fields.customer,
    disputed: false,
    livemode: false,
    metadata: fields.metadata ?? {},
    paid: true,
    payment_intent: fields.paymentIntent,
    refunded: fields.amountRefunded >= fields.amount,
    status: 'succeeded',
  } satisfies DeepPartial<Stripe.Charge>
}

export function dispute(fields: {
  charge: string
  paymentIntent: string
  amount: number
  currency: string
  status: Stripe.Dispute.Status
}) {
  return {
    id: stripeId('dp'),
    object: 'dispute',
    amount: fields.amount,
    charge: fields.charge,
    created: tick(),
    currency: fields.currency,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: fields.paymentIntent,
    reason: 'fraudulent',
    status: fields.status,
  } satisfies DeepPartial<Stripe.Dispute>
}

/** The Stripe-Signature header for `payload`, computed for real (HMAC-SHA256, `t=…,v1=…`). */
export function signature(
  payload: string,
  options: { timestamp?: number; secret?: string } = {},
): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? STRIPE_WEBHOOK_SECRET,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  })
}

/** Posts a raw body to the webhook, signed unless a header is given. */
export async function postWebhook(
  payload: string,
  options: { signature?: string | null; env?: CallOptions['env']; contentType?: string } = {},
): Promise<Response> {
  const header = options.signature === undefined ? await signature(payload) : options.signature
  return call('/v1/webhooks/stripe', {
    method: 'POST',
    body: payload,
    headers: {
      'content-type': options.contentType ?? 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      ...(header === null ? {} : { 'stripe-signature': header }),
    },
    ...(options.env ? { env: options.env } : {}),
  })
}

/** Delivers an event as Stripe does: pretty-printed JSON, signed with the endpoint's secret. */
export function deliver(
  event: StripeEvent,
  options: { env?: CallOptions['env'] } = {},
): Promise<Response> {
  return postWebhook(JSON.stringify(event, null, 2), options)
}

/** Delivers an event and expects Stripe's delivery to succeed. */
export async function delivered(event: StripeEvent): Promise<string> {
  const response = await deliver(event)
  const body = (await response.json()) as { outcome?: string; code?: string }
  if (response.status !== 200)
    throw new Error(`webhook answered ${response.status} ${JSON.stringify(body)}`)
  return body.outcome ?? ''
}
