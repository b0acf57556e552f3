/**
 * Stripe's side of the contract test, in Node: events built from Stripe's own fixture objects
 * (test/fixtures/stripe-fixtures3.json), changing only what links them and what a supporter's
 * life changes, and signed for real with the endpoint's secret.
 */
import { randomBytes } from 'node:crypto'
import Stripe from 'stripe'
import fixtures from '../fixtures/stripe-fixtures3.json'
import { STRIPE_WEBHOOK_SECRET } from '../helpers/fakes'

/** The API version the Worker reads (src/support/stripe.ts); events of another are refused. */
import { STRIPE_API_VERSION } from '../../src/support/api-version'

export const API_VERSION = STRIPE_API_VERSION

const OURS = { readerdesk: '1' }
const DAY = 86_400

export const stripeId = (prefix: string) =>
  `${prefix}_${randomBytes(18).toString('base64').replace(/[+/=]/g, 'x')}`

const now = () => Math.floor(Date.now() / 1000)

export function stripeEvent(type: string, object: object, apiVersion = API_VERSION) {
  return {
    ...structuredClone(fixtures.event),
    id: stripeId('evt'),
    api_version: apiVersion,
    created: now(),
    livemode: false,
    type,
    data: { object },
  }
}

function session(fields: {
  mode: 'payment' | 'subscription'
  email: string
  customer: string
  subscription: string | null
  paymentIntent: string | null
  amount: number
  metadata: Record<string, string>
}) {
  const base = structuredClone(fixtures['checkout.session'])
  return {
    ...base,
    id: stripeId('cs_test'),
    mode: fields.mode,
    customer: fields.customer,
    customer_details: { ...base.customer_details, email: fields.email, name: 'Ada Reader' },
    subscription: fields.subscription,
    payment_intent: fields.paymentIntent,
    amount_subtotal: fields.amount,
    amount_total: fields.amount,
    currency: 'eur',
    payment_status: 'paid',
    status: 'complete',
    metadata: fields.metadata,
    created: now(),
  }
}

/** A reader's one-time gift through our checkout: its paid checkout.session.completed. */
export function giftEvent(email: string) {
  return stripeEvent(
    'checkout.session.completed',
    session({
      mode: 'payment',
      email,
      customer: stripeId('cus'),
      subscription: null,
      paymentIntent: stripeId('pi'),
      amount: 2_500,
      metadata: { ...OURS, readerdesk_interval: 'once' },
    }),
  )
}

/** A reader who subscribes monthly to `tierId`: the checkout, then the active subscription. */
export function subscriberEvents(email: string, tierId: string) {
  const customer = stripeId('cus')
  const id = stripeId('sub')
  const metadata = { ...OURS, readerdesk_interval: 'month', readerdesk_tier: tierId }
  const base = structuredClone(fixtures.subscription)
  const item = base.items.data[0]!
  const start = now() - DAY
  return [
    stripeEvent(
      'checkout.session.completed',
      session({
        mode: 'subscription',
        email,
        customer,
        subscription: id,
        paymentIntent: null,
        amount: 500,
        metadata,
      }),
    ),
    stripeEvent('customer.subscription.created', {
      ...base,
      id,
      customer,
      status: 'active',
      currency: 'eur',
      metadata,
      created: start,
      start_date: start,
      billing_cycle_anchor: start,
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      items: {
        ...base.items,
        data: [
          {
            ...item,
            subscription: id,
            current_period_start: start,
            current_period_end: start + 30 * DAY,
            price: { ...item.price, currency: 'eur', unit_amount: 500, unit_amount_decimal: '500' },
          },
        ],
      },
    }),
  ]
}

/** The Stripe-Signature header of `payload`, computed for real. */
export function signature(payload: string): Promise<string> {
  return Stripe.webhooks.generateTestHeaderStringAsync({
    payload,
    secret: STRIPE_WEBHOOK_SECRET,
    timestamp: now(),
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  })
}
