/**
 * What a Stripe event means for us, decided from its payload alone: a pure function from a
 * verified event to an `Effect` that store.ts turns into one D1 batch. Only the fields we use
 * are read, so the rest of Stripe's (large, growing) objects may change freely.
 */
import { z } from 'zod'

/** The metadata our checkouts put on the session, its subscription and its payment intent. */
export const OUR_METADATA_KEY = 'readerdesk'
export const TIER_METADATA_KEY = 'readerdesk_tier'
export const INTERVAL_METADATA_KEY = 'readerdesk_interval'

export type StripeMode = 'live' | 'test'

/** Live keys are `sk_live_…` or restricted `rk_live_…`; everything else is test mode. */
export function keyMode(secretKey: string): StripeMode {
  return /^(?:sk|rk)_live_/.test(secretKey) ? 'live' : 'test'
}

export const EventEnvelopeSchema = z.object({
  id: z.string().min(1).max(255),
  object: z.literal('event'),
  type: z.string().min(1).max(255),
  created: z.number().int(),
  livemode: z.boolean(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
})

export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>

/** Thrown when a verified event of a type we handle lacks a field we rely on. */
export class PayloadError extends Error {
  override name = 'PayloadError'
}

const metadataSchema = z.record(z.string(), z.string()).nullish()
type Metadata = z.infer<typeof metadataSchema>

/** An expandable reference: Stripe sends an id, or the object when it was expanded. */
const ref = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullish()
  .transform((value) => (typeof value === 'string' ? value : (value?.id ?? null)))

const isOurs = (metadata: Metadata) => metadata?.[OUR_METADATA_KEY] === '1'

const tierOf = (metadata: Metadata) => metadata?.[TIER_METADATA_KEY] || null

const foldEmail = (email: string | null | undefined) => email?.trim().toLowerCase() || null

const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString()

const CheckoutSessionSchema = z.object({
  id: z.string(),
  mode: z.string(),
  metadata: metadataSchema,
  customer: ref,
  customer_details: z.object({ email: z.string().nullish(), name: z.string().nullish() }).nullish(),
  customer_email: z.string().nullish(),
  subscription: ref,
  payment_intent: ref,
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  payment_status: z.string(),
  created: z.number().int(),
})

const SubscriptionSchema = z.object({
  id: z.string(),
  customer: ref,
  status: z.string(),
  metadata: metadataSchema,
  start_date: z.number().int(),
  canceled_at: z.number().int().nullish(),
  currency: z.string(),
  items: z.object({
    data: z.array(
      z.object({
        current_period_end: z.number().int(),
        quantity: z.number().int().nullish(),
        price: z.object({
          unit_amount: z.number().int().nullish(),
          currency: z.string(),
          recurring: z.object({ interval: z.string() }).nullish(),
        }),
      }),
    ),
  }),
})

const InvoiceSchema = z.object({
  id: z.string(),
  customer: ref,
  customer_email: z.string().nullish(),
  customer_name: z.string().nullish(),
  currency: z.string(),
  amount_due: z.number().int(),
  amount_paid: z.number().int(),
  created: z.number().int(),
  parent: z
    .object({
      subscription_details: z.object({ subscription: ref, metadata: metadataSchema }).nullish(),
    })
    .nullish(),
})

const InvoicePaymentSchema = z.object({
  invoice: ref,
  payment: z.object({ type: z.string(), payment_intent: ref.optional() }),
})

const ChargeSchema = z.object({
  id: z.string(),
  payment_intent: ref,
  amount_refunded: z.number().int().min(0),
})

const DisputeSchema = z.object({
  id: z.string(),
  charge: ref,
  payment_intent: ref,
  amount: z.number().int().min(0),
  status: z.string(),
})

export type Ignored = {
  kind: 'ignore'
  reason: 'livemode' | 'unknown_type' | 'foreign' | 'not_applicable'
}

/** A checkout.session.* event: who the person is and what they bought. */
export interface CheckoutEffect {
  kind: 'checkout'
  email: string | null
  name: string | null
  customerId: string | null
  mode: 'subscription' | 'payment'
  subscriptionId: string | null
  paymentIntentId: string | null
  /** The gift's payment row; the payment intent when there is one, else the session. */
  paymentId: string
  tierId: string | null
  amount: number
  currency: string
  /** `unpaid` until async_payment_succeeded (`paid`) or async_payment_failed (`failed`). */
  outcome: 'paid' | 'unpaid' | 'failed'
  createdAt: string
}

/** A customer.subscription.* event: the subscription's whole state as of `eventCreated`. */
export interface SubscriptionEffect {
  kind: 'subscription'
  /** Carries our metadata; otherwise it only updates a subscription we already recorded. */
  marked: boolean
  id: string
  customerId: string | null
  status: string
  tierId: string | null
  amount: number | null
  currency: string
  interval: 'month' | 'year' | null
  startedAt: string
  currentPeriodEnd: string | null
  canceledAt: string | null
  eventCreated: number
}

/** invoice.paid or invoice.payment_failed: one payment row per invoice. */
export interface InvoiceEffect {
  kind: 'invoice'
  /** Carries our subscription metadata; otherwise it counts only for a subscription we know. */
  marked: boolean
  id: string
  subscriptionId: string
  customerId: string | null
  email: string | null
  name: string | null
  amount: number
  currency: string
  paid: boolean
  createdAt: string
}

export interface InvoicePaymentEffect {
  kind: 'invoice_payment'
  invoiceId: string
  paymentIntentId: string
}

export interface RefundEffect {
  kind: 'refund'
  chargeId: string
  paymentIntentId: string
  amountRefunded: number
}

export interface DisputeEffect {
  kind: 'dispute'
  chargeId: string
  paymentIntentId: string
  amount: number
  state: 'open' | 'won' | 'lost'
}

export type Effect =
  | Ignored
  | CheckoutEffect
  | SubscriptionEffect
  | InvoiceEffect
  | InvoicePaymentEffect
  | RefundEffect
  | DisputeEffect

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
  if (!isOurs(metadataSchema.catch(null).parse(event.data.object.metadata)))
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
    name: session.customer_details?.name?.trim() || null,
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
  const periodEnds = items.map((item) => item.current_period_end)
  return {
    kind: 'subscription',
    marked: isOurs(subscription.metadata),
    id: subscription.id,
    customerId: subscription.customer,
    status: subscription.status,
    tierId: tierOf(subscription.metadata),
    amount,
    currency: subscription.currency.toLowerCase(),
    interval: recurring === 'month' || recurring === 'year' ? recurring : null,
    startedAt: isoTime(subscription.start_date),
    currentPeriodEnd: periodEnds.length ? isoTime(Math.max(...periodEnds)) : null,
    canceledAt: subscription.canceled_at ? isoTime(subscription.canceled_at) : null,
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
    name: invoice.customer_name?.trim() || null,
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

function refundEffect(event: EventEnvelope): Effect {
  const charge = parse(ChargeSchema, event)
  if (!charge.payment_intent) return ignore('foreign')
  return {
    kind: 'refund',
    chargeId: charge.id,
    paymentIntentId: charge.payment_intent,
    amountRefunded: charge.amount_refunded,
  }
}

function disputeEffect(event: EventEnvelope): Effect {
  const dispute = parse(DisputeSchema, event)
  if (!dispute.charge || !dispute.payment_intent) return ignore('foreign')
  let state: DisputeEffect['state'] = 'open'
  if (event.type === 'charge.dispute.closed') state = dispute.status === 'lost' ? 'lost' : 'won'
  return {
    kind: 'dispute',
    chargeId: dispute.charge,
    paymentIntentId: dispute.payment_intent,
    amount: dispute.amount,
    state,
  }
}

/**
 * What a verified event means for us. Events of the other mode, of types we do not handle
 * and about objects that are plainly not ours are ignored; invoice payments and charges carry
 * no metadata of ours, so whether they are ours is settled in the database, where they only
 * take effect once linked to a payment we recorded.
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
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return invoiceEffect(event)
    case 'invoice_payment.paid':
      return invoicePaymentEffect(event)
    case 'charge.refunded':
      return refundEffect(event)
    case 'charge.dispute.created':
    case 'charge.dispute.closed':
      return disputeEffect(event)
    default:
      return ignore('unknown_type')
  }
}
