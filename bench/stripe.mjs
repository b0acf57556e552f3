// Stripe's side of the benchmark: webhook events of the pinned API version built from Stripe's
// own fixture objects (test/fixtures/stripe-fixtures3.json) the way test/helpers/stripe-fixtures.ts
// builds them for the tests (only the fields that link objects and what a life changes differ
// from Stripe's), pretty-printed and signed as Stripe delivers them.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'

const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8')
const fixtures = JSON.parse(read('../test/fixtures/stripe-fixtures3.json'))

/** The API version the Worker pins, read from the one module that names it. */
export const API_VERSION = /STRIPE_API_VERSION = '([^']+)'/.exec(
  read('../src/support/api-version.ts'),
)?.[1]
if (!API_VERSION) throw new Error('no API version in src/support/api-version.ts')

export const WEBHOOK_SECRET = 'whsec_bench_0123456789abcdef'
export const DAY = 86_400
export const PERIOD = 30 * DAY

/** Our checkouts' marks on a monthly subscription (see docs/stripe.md). */
export const MONTHLY = { readerdesk: '1', readerdesk_interval: 'month' }

const copy = (value) => structuredClone(value)

/** An id in Stripe's style: its prefix and 24 random characters. */
export function stripeId(prefix) {
  return `${prefix}_${randomBytes(18).toString('base64').replace(/[+/=]/g, 'x')}`
}

/** An event as Stripe delivers it, from Stripe's own event fixture. */
export function fixtureEvent(type, object, created) {
  return {
    ...copy(fixtures.event),
    id: stripeId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: stripeId('req'), idempotency_key: randomUUID() },
    type,
    data: { object },
  }
}

/** A supporter as Stripe knows them: their customer and monthly subscription. */
export function newSupporter(label, start, amount = 500) {
  const tag = stripeId('x').slice(2, 12)
  return {
    email: `${label}-${tag}@example.org`,
    name: 'Bench Patron',
    customer: stripeId('cus'),
    subscription: stripeId('sub'),
    amount,
    currency: 'usd',
    start,
  }
}

/** The completed Checkout Session of a monthly subscription, paid. */
export function sessionCompleted(s) {
  const session = copy(fixtures['checkout.session'])
  return fixtureEvent(
    'checkout.session.completed',
    {
      ...session,
      id: stripeId('cs_test'),
      mode: 'subscription',
      customer: s.customer,
      customer_creation: null,
      customer_details: { ...session.customer_details, email: s.email, name: s.name },
      subscription: s.subscription,
      payment_intent: null,
      amount_subtotal: s.amount,
      amount_total: s.amount,
      currency: s.currency,
      payment_status: 'paid',
      status: 'complete',
      metadata: MONTHLY,
      created: s.start - 60,
      expires_at: s.start - 60 + DAY,
    },
    s.start + 1,
  )
}

/**
 * The subscription in its `period`-th month, as customer.subscription.* carries it in this API
 * version: the current period lives on its item, not on the subscription.
 */
export function subscriptionObject(s, status, period) {
  const subscription = copy(fixtures.subscription)
  const item = subscription.items.data[0]
  return {
    ...subscription,
    id: s.subscription,
    customer: s.customer,
    status,
    currency: s.currency,
    metadata: MONTHLY,
    created: s.start,
    start_date: s.start,
    billing_cycle_anchor: s.start,
    cancel_at_period_end: false,
    cancel_at: null,
    canceled_at: null,
    ended_at: null,
    latest_invoice: stripeId('in'),
    pause_collection: null,
    items: {
      ...subscription.items,
      url: `/v1/subscription_items?subscription=${s.subscription}`,
      data: [
        {
          ...item,
          id: stripeId('si'),
          created: s.start,
          subscription: s.subscription,
          current_period_start: s.start + period * PERIOD,
          current_period_end: s.start + (period + 1) * PERIOD,
          price: {
            ...item.price,
            id: stripeId('price'),
            currency: s.currency,
            unit_amount: s.amount,
            unit_amount_decimal: String(s.amount),
            recurring: { ...item.price.recurring, interval: 'month' },
          },
        },
      ],
    },
  }
}

/** customer.subscription.created or .updated of the subscription in its `period`-th month. */
export function subscriptionEvent(type, s, period, created) {
  return fixtureEvent(type, subscriptionObject(s, 'active', period), created)
}

/** invoice.paid of one of the subscription's invoices, created at `created`. */
export function invoicePaid(
  s,
  { created, reason = 'subscription_cycle', invoice = stripeId('in') },
) {
  return fixtureEvent(
    'invoice.paid',
    {
      ...copy(fixtures.invoice),
      id: invoice,
      customer: s.customer,
      customer_email: s.email,
      currency: s.currency,
      amount_due: s.amount,
      amount_paid: s.amount,
      amount_remaining: 0,
      attempted: true,
      attempt_count: 1,
      billing_reason: reason,
      created,
      period_start: created,
      period_end: created,
      status: 'paid',
      total: s.amount,
      subtotal: s.amount,
      parent: {
        quote_details: null,
        subscription_details: { metadata: MONTHLY, subscription: s.subscription },
        type: 'subscription_details',
      },
    },
    created,
  )
}

/** invoice_payment.paid: the payment intent that paid the invoice. */
export function invoicePaymentPaid(s, invoice, paymentIntent, created) {
  return fixtureEvent(
    'invoice_payment.paid',
    {
      ...copy(fixtures.invoice_payment),
      id: stripeId('inpay'),
      invoice,
      amount_paid: s.amount,
      amount_requested: s.amount,
      currency: s.currency,
      created,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
      status: 'paid',
      status_transitions: { canceled_at: null, paid_at: created },
    },
    created,
  )
}

/** The body and headers of a delivery: pretty-printed JSON, signed now with our secret. */
export function signed(event) {
  const payload = JSON.stringify(event, null, 2)
  const timestamp = Math.floor(Date.now() / 1000)
  const signature = createHmac('sha256', WEBHOOK_SECRET)
    .update(`${timestamp}.${payload}`)
    .digest('hex')
  return {
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      'stripe-signature': `t=${timestamp},v1=${signature}`,
    },
    body: payload,
  }
}

/** Delivers an event and expects it to take effect. */
export async function deliver(url, event) {
  const response = await fetch(`${url}/v1/webhooks/stripe`, { method: 'POST', ...signed(event) })
  const body = await response.json()
  if (response.status !== 200 || body.outcome !== 'applied') {
    throw new Error(`${event.type} answered ${response.status} ${JSON.stringify(body)}`)
  }
}

/** An autocannon request posting the signed event `next()` makes afresh for every request. */
export function webhookRequest(next) {
  return {
    method: 'POST',
    path: '/v1/webhooks/stripe',
    setupRequest: (request) => {
      const { headers, body } = signed(next())
      return { ...request, headers: { ...request.headers, ...headers }, body }
    },
  }
}
