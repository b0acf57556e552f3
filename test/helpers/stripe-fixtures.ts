/**
 * Stripe's objects as Stripe itself publishes them: each builder starts from the object of
 * that type in `test/fixtures/stripe-fixtures3.json` (Stripe's own fixtures, see
 * test/fixtures/README.md) and changes only what links one object to another (ids, customer,
 * metadata) and what a life changes (status, amounts, times). Every other field stays as Stripe
 * sends it, so a field we do not expect, or expect and do not get, shows up here.
 */
import type Stripe from 'stripe'
import fixtures from '../fixtures/stripe-fixtures3.json'
import { API_VERSION, stripeId, type StripeEvent } from './stripe'

const copy = <T>(value: T): T => structuredClone(value)

export const DAY = 86_400

/** An event as Stripe delivers it, from Stripe's own event fixture. */
export function fixtureEvent(
  type: Stripe.Event.Type,
  object: object,
  created: number,
  apiVersion: string = API_VERSION,
): StripeEvent {
  return {
    ...copy(fixtures.event),
    id: stripeId('evt'),
    object: 'event',
    api_version: apiVersion,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: stripeId('req'), idempotency_key: crypto.randomUUID() },
    type,
    data: { object },
  }
}

export function customerObject(fields: { id: string; email: string; name: string | null }) {
  return { ...copy(fixtures.customer), ...fields, livemode: false }
}

export function sessionObject(fields: {
  mode: 'payment' | 'subscription'
  customer: string
  email: string
  name: string
  subscription: string | null
  paymentIntent: string | null
  amount: number
  currency: string
  paid: boolean
  metadata: Record<string, string>
  created: number
}) {
  const session = copy(fixtures['checkout.session'])
  return {
    ...session,
    id: stripeId('cs_test'),
    mode: fields.mode,
    customer: fields.customer,
    customer_creation: fields.mode === 'payment' ? 'always' : null,
    customer_details: { ...session.customer_details, email: fields.email, name: fields.name },
    subscription: fields.subscription,
    payment_intent: fields.paymentIntent,
    amount_subtotal: fields.amount,
    amount_total: fields.amount,
    currency: fields.currency,
    payment_status: fields.paid ? 'paid' : 'unpaid',
    status: 'complete',
    metadata: fields.metadata,
    created: fields.created,
    expires_at: fields.created + DAY,
  }
}

export function subscriptionObject(fields: {
  id: string
  customer: string
  status: string
  amount: number
  currency: string
  interval: 'month' | 'year'
  metadata: Record<string, string>
  startDate: number
  periodStart: number
  periodEnd: number
  cancelAtPeriodEnd?: boolean
  cancelAt?: number | null
  canceledAt?: number | null
}) {
  const subscription = copy(fixtures.subscription)
  const item = subscription.items.data[0]!
  const ended = fields.status === 'canceled' || fields.status === 'incomplete_expired'
  return {
    ...subscription,
    id: fields.id,
    customer: fields.customer,
    status: fields.status,
    currency: fields.currency,
    metadata: fields.metadata,
    created: fields.startDate,
    start_date: fields.startDate,
    billing_cycle_anchor: fields.startDate,
    cancel_at_period_end: fields.cancelAtPeriodEnd ?? false,
    cancel_at: fields.cancelAt ?? null,
    canceled_at: fields.canceledAt ?? null,
    ended_at: ended ? (fields.canceledAt ?? null) : null,
    latest_invoice: stripeId('in'),
    pause_collection: null,
    items: {
      ...subscription.items,
      url: `/v1/subscription_items?subscription=${fields.id}`,
      data: [
        {
          ...item,
          id: stripeId('si'),
          created: fields.startDate,
          subscription: fields.id,
          current_period_start: fields.periodStart,
          current_period_end: fields.periodEnd,
          price: {
            ...item.price,
            id: stripeId('price'),
            currency: fields.currency,
            unit_amount: fields.amount,
            unit_amount_decimal: String(fields.amount),
            recurring: { ...item.price.recurring, interval: fields.interval },
          },
        },
      ],
    },
  }
}

export function invoiceObject(fields: {
  id: string
  customer: string
  email: string
  subscription: string
  metadata: Record<string, string>
  amount: number
  currency: string
  paid: boolean
  created: number
  billingReason: 'subscription_create' | 'subscription_cycle'
}) {
  const invoice = copy(fixtures.invoice)
  return {
    ...invoice,
    id: fields.id,
    customer: fields.customer,
    customer_email: fields.email,
    currency: fields.currency,
    amount_due: fields.amount,
    amount_paid: fields.paid ? fields.amount : 0,
    amount_remaining: fields.paid ? 0 : fields.amount,
    attempted: true,
    attempt_count: 1,
    billing_reason: fields.billingReason,
    created: fields.created,
    period_start: fields.created,
    period_end: fields.created,
    status: fields.paid ? 'paid' : 'open',
    total: fields.amount,
    subtotal: fields.amount,
    parent: {
      quote_details: null,
      subscription_details: { metadata: fields.metadata, subscription: fields.subscription },
      type: 'subscription_details',
    },
  }
}

export function invoicePaymentObject(fields: {
  invoice: string
  paymentIntent: string
  amount: number
  currency: string
  created: number
}) {
  const payment = copy(fixtures.invoice_payment)
  return {
    ...payment,
    id: stripeId('inpay'),
    invoice: fields.invoice,
    amount_paid: fields.amount,
    amount_requested: fields.amount,
    currency: fields.currency,
    created: fields.created,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: fields.paymentIntent },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: fields.created },
  }
}

export function chargeObject(fields: {
  id: string
  paymentIntent: string
  customer: string
  amount: number
  amountRefunded: number
  currency: string
  created: number
}) {
  return {
    ...copy(fixtures.charge),
    id: fields.id,
    payment_intent: fields.paymentIntent,
    customer: fields.customer,
    amount: fields.amount,
    amount_captured: fields.amount,
    amount_refunded: fields.amountRefunded,
    captured: true,
    refunded: fields.amountRefunded >= fields.amount,
    currency: fields.currency,
    created: fields.created,
  }
}

export function refundObject(fields: {
  id: string
  charge: string
  paymentIntent: string
  amount: number
  currency: string
  status: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'requires_action'
  created: number
}) {
  return {
    ...copy(fixtures.refund),
    id: fields.id,
    charge: fields.charge,
    payment_intent: fields.paymentIntent,
    amount: fields.amount,
    currency: fields.currency,
    status: fields.status,
    created: fields.created,
    ...(fields.status === 'failed' ? { failure_reason: 'expired_or_canceled_card' } : {}),
  }
}

export function disputeObject(fields: {
  id: string
  charge: string
  paymentIntent: string
  amount: number
  currency: string
  status: string
  created: number
}) {
  const dispute = copy(fixtures.dispute)
  const inquiry = fields.status.startsWith('warning_')
  return {
    ...dispute,
    id: fields.id,
    charge: fields.charge,
    payment_intent: fields.paymentIntent,
    amount: fields.amount,
    currency: fields.currency,
    status: fields.status,
    created: fields.created,
    is_charge_refundable: inquiry,
    payment_method_details: {
      ...dispute.payment_method_details,
      card: {
        ...dispute.payment_method_details.card,
        case_type: inquiry ? 'inquiry' : 'chargeback',
      },
    },
  }
}
