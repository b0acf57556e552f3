/**
 * What a Stripe event means for us, decided from its payload alone: a pure function from a
 * verified event to an `Effect` that ledger.ts turns into one D1 batch. The objects' shapes are
 * in stripe-objects.ts.
 */
import type { z } from 'zod'
import { cleanText } from '../http/text'
import {
  ChargeSchema,
  CheckoutSessionSchema,
  CustomerSchema,
  DisputeSchema,
  InvoicePaymentSchema,
  InvoiceSchema,
  MetadataSchema,
  RefundSchema,
  SubscriptionSchema,
  type EventEnvelope,
  type Metadata,
} from './stripe-objects'

import {
  DISPUTE_STAGES,
  REFUND_STAGES,
  stageOf,
  SUBSCRIPTION_STAGES,
  type CheckoutEffect,
  type Effect,
  type Ignored,
} from './effects'

export { EventEnvelopeSchema, type EventEnvelope } from './stripe-objects'

/** The metadata our checkouts put on the session, its subscription and its payment intent. */
export const OUR_METADATA_KEY = 'readerdesk'
export const TIER_METADATA_KEY = 'readerdesk_tier'
export const INTERVAL_METADATA_KEY = 'readerdesk_interval'

export type StripeMode = 'live' | 'test'

/** Live keys are `sk_live_…` or restricted `rk_live_…`; everything else is test mode. */
export function keyMode(secretKey: string): StripeMode {
  return /^(?:sk|rk)_live_/.test(secretKey) ? 'live' : 'test'
}

/** Thrown when a verified event of a type we handle lacks a field we rely on. */
export class PayloadError extends Error {
  override name = 'PayloadError'
}

const isOurs = (metadata: Metadata) => metadata?.[OUR_METADATA_KEY] === '1'

const tierOf = (metadata: Metadata) => metadata?.[TIER_METADATA_KEY] || null

const foldEmail = (email: string | null | undefined) => email?.trim().toLowerCase() || null

const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString()

/** A name from Stripe, cleaned like any free text we store. */
const trimmed = (text: string | null | undefined) => (text ? cleanText(text).trim() : '') || null

function parse<T extends z.ZodType>(schema: T, event: EventEnvelope): z.infer<T> {
  const result = schema.safeParse(event.data.object)
  if (!result.success) {
    const fields = result.error.issues.map((issue) => issue.path.join('.') || '(object)')
    throw new PayloadError(
      `${event.type} ${event.id}: unexpected ${[...new Set(fields)].join(', ')}`,
    )
  }
  return result.data
}

const ignore = (reason: Ignored['reason']): Ignored => ({ kind: 'ignore', reason })

function checkoutEffect(event: EventEnvelope): Effect {
  // Someone else's session is ignored before its shape is judged: it is not ours to refuse.
  if (!isOurs(MetadataSchema.catch(null).parse(event.data.object.metadata)))
    return ignore('foreign')
  const session = parse(CheckoutSessionSchema, event)
  if (session.mode !== 'subscription' && session.mode !== 'payment') return ignore('not_applicable')
  if (!session.currency || session.amount_total === null || session.amount_total === undefined) {
    throw new PayloadError(`${event.type} ${event.id}: a checkout without amount or currency`)
  }
  let outcome: CheckoutEffect['outcome']
  if (event.type === 'checkout.session.async_payment_succeeded') outcome = 'paid'
  else if (event.type === 'checkout.session.async_payment_failed') outcome = 'failed'
  else outcome = session.payment_status === 'unpaid' ? 'unpaid' : 'paid'
  return {
    kind: 'checkout',
    email: foldEmail(session.customer_details?.email ?? session.customer_email),
    name: trimmed(session.customer_details?.name),
    customerId: session.customer,
    mode: session.mode,
    subscriptionId: session.subscription,
    paymentIntentId: session.payment_intent,
    paymentId: session.payment_intent ?? session.id,
    tierId: tierOf(session.metadata),
    amount: session.amount_total,
    currency: session.currency.toLowerCase(),
    outcome,
    createdAt: isoTime(session.created),
  }
}

function subscriptionEffect(event: EventEnvelope): Effect {
  const subscription = parse(SubscriptionSchema, event)
  const items = subscription.items.data
  const recurring = items[0]?.price.recurring?.interval
  const priced =
    items.length > 0 && items.every((item) => typeof item.price.unit_amount === 'number')
  const amount = priced
    ? items.reduce((sum, item) => sum + (item.price.unit_amount ?? 0) * (item.quantity ?? 1), 0)
    : null
  if (amount !== null && !Number.isSafeInteger(amount)) {
    throw new PayloadError(`${event.type} ${event.id}: an amount beyond exact integers`)
  }
  const periodEnd = items.length ? Math.max(...items.map((item) => item.current_period_end)) : null
  const ended = subscription.status === 'canceled' || subscription.status === 'incomplete_expired'
  const cancelAt =
    subscription.cancel_at ?? (subscription.cancel_at_period_end ? periodEnd : null) ?? null
  return {
    kind: 'subscription',
    marked: isOurs(subscription.metadata),
    id: subscription.id,
    customerId: subscription.customer,
    status: subscription.status,
    stage: stageOf(SUBSCRIPTION_STAGES, subscription.status),
    tierId: tierOf(subscription.metadata),
    amount,
    currency: subscription.currency.toLowerCase(),
    interval: recurring === 'month' || recurring === 'year' ? recurring : null,
    startedAt: isoTime(subscription.start_date),
    currentPeriodEnd: periodEnd === null ? null : isoTime(periodEnd),
    canceledAt: subscription.canceled_at ? isoTime(subscription.canceled_at) : null,
    cancelAt: cancelAt === null || ended ? null : isoTime(cancelAt),
    eventCreated: event.created,
  }
}

function invoiceEffect(event: EventEnvelope): Effect {
  const invoice = parse(InvoiceSchema, event)
  const details = invoice.parent?.subscription_details
  if (!details?.subscription) return ignore('foreign')
  const paid = event.type === 'invoice.paid'
  const amount = paid ? invoice.amount_paid : invoice.amount_due
  if (amount <= 0) return ignore('not_applicable')
  return {
    kind: 'invoice',
    marked: isOurs(details.metadata),
    id: invoice.id,
    subscriptionId: details.subscription,
    customerId: invoice.customer,
    email: foldEmail(invoice.customer_email),
    name: trimmed(invoice.customer_name),
    amount,
    currency: invoice.currency.toLowerCase(),
    paid,
    createdAt: isoTime(invoice.created),
  }
}

function invoicePaymentEffect(event: EventEnvelope): Effect {
  const payment = parse(InvoicePaymentSchema, event)
  const paymentIntentId = payment.payment.payment_intent
  if (payment.payment.type !== 'payment_intent' || !paymentIntentId || !payment.invoice) {
    return ignore('not_applicable')
  }
  return { kind: 'invoice_payment', invoiceId: payment.invoice, paymentIntentId }
}

function chargeRefundEffect(event: EventEnvelope): Effect {
  const charge = parse(ChargeSchema, event)
  if (!charge.payment_intent) return ignore('foreign')
  return {
    kind: 'charge_refund',
    chargeId: charge.id,
    paymentIntentId: charge.payment_intent,
    amountRefunded: charge.amount_refunded,
    eventCreated: event.created,
  }
}

function refundEffect(event: EventEnvelope): Effect {
  const refund = parse(RefundSchema, event)
  if (!refund.payment_intent) return ignore('foreign')
  return {
    kind: 'refund',
    id: refund.id,
    chargeId: refund.charge,
    paymentIntentId: refund.payment_intent,
    amount: refund.amount,
    status: refund.status,
    stage: stageOf(REFUND_STAGES, refund.status),
    eventCreated: event.created,
  }
}

function disputeEffect(event: EventEnvelope): Effect {
  const dispute = parse(DisputeSchema, event)
  if (!dispute.charge || !dispute.payment_intent) return ignore('foreign')
  return {
    kind: 'dispute',
    id: dispute.id,
    chargeId: dispute.charge,
    paymentIntentId: dispute.payment_intent,
    amount: dispute.amount,
    status: dispute.status,
    stage: stageOf(DISPUTE_STAGES, dispute.status),
    fundsWithdrawn: event.type === 'charge.dispute.funds_withdrawn',
    fundsReinstated: event.type === 'charge.dispute.funds_reinstated',
    eventCreated: event.created,
  }
}

function customerEffect(event: EventEnvelope): Effect {
  const customer = parse(CustomerSchema, event)
  return {
    kind: 'customer',
    customerId: customer.id,
    email: foldEmail(customer.email),
    name: trimmed(customer.name),
    eventCreated: event.created,
  }
}

/**
 * What a verified event means for us. Events of the other mode, of types we do not handle
 * and about objects that are plainly not ours are ignored; invoice payments, charges, refunds,
 * disputes and customers carry no metadata of ours, so whether they are ours is settled in the
 * database, where they only take effect once linked to a payment or supporter we recorded.
 */
export function interpretEvent(event: EventEnvelope, mode: StripeMode): Effect {
  if (event.livemode !== (mode === 'live')) return ignore('livemode')
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
    case 'checkout.session.async_payment_failed':
      return checkoutEffect(event)
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionEffect(event)
    case 'customer.updated':
      return customerEffect(event)
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return invoiceEffect(event)
    case 'invoice_payment.paid':
      return invoicePaymentEffect(event)
    case 'charge.refunded':
      return chargeRefundEffect(event)
    case 'charge.refund.updated':
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed':
      return refundEffect(event)
    case 'charge.dispute.created':
    case 'charge.dispute.updated':
    case 'charge.dispute.closed':
    case 'charge.dispute.funds_withdrawn':
    case 'charge.dispute.funds_reinstated':
      return disputeEffect(event)
    default:
      return ignore('unknown_type')
  }
}
