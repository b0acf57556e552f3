/**
 * The parts of Stripe's objects (API 2026-10-28.endive) that readerdesk reads, and nothing
 * more, so the rest of Stripe's large and growing objects may change freely. Times and amounts
 * are bounded: a signed event whose values could never be stored is refused as malformed
 * rather than failing while it is applied.
 */
import { z } from 'zod'

/** 9999-12-31T23:59:59Z, the last second an ISO 8601 timestamp of fixed width can name. */
const LAST_SECOND = 253_402_300_799

/** Unix seconds, as Stripe sends them. */
export const UnixTime = z.number().int().min(0).max(LAST_SECOND)

/** An amount in minor units: never negative, always exact. */
export const MinorAmount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

export const MetadataSchema = z.record(z.string(), z.string()).nullish()
export type Metadata = z.infer<typeof MetadataSchema>

/** An expandable reference: Stripe sends an id, or the object when it was expanded. */
const ref = z
  .union([z.string(), z.object({ id: z.string() })])
  .nullish()
  .transform((value) => (typeof value === 'string' ? value : (value?.id ?? null)))

export const EventEnvelopeSchema = z.object({
  id: z.string().min(1).max(255),
  object: z.literal('event'),
  api_version: z.string().nullish(),
  type: z.string().min(1).max(255),
  created: UnixTime,
  livemode: z.boolean(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
})

export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>

export const CheckoutSessionSchema = z.object({
  id: z.string(),
  mode: z.string(),
  metadata: MetadataSchema,
  customer: ref,
  customer_details: z.object({ email: z.string().nullish(), name: z.string().nullish() }).nullish(),
  customer_email: z.string().nullish(),
  subscription: ref,
  payment_intent: ref,
  amount_total: MinorAmount.nullish(),
  currency: z.string().nullish(),
  payment_status: z.string(),
  created: UnixTime,
})

export const SubscriptionSchema = z.object({
  id: z.string(),
  customer: ref,
  status: z.string(),
  metadata: MetadataSchema,
  start_date: UnixTime,
  canceled_at: UnixTime.nullish(),
  cancel_at: UnixTime.nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  currency: z.string(),
  items: z.object({
    data: z.array(
      z.object({
        current_period_end: UnixTime,
        quantity: MinorAmount.nullish(),
        price: z.object({
          unit_amount: MinorAmount.nullish(),
          currency: z.string(),
          recurring: z.object({ interval: z.string() }).nullish(),
        }),
      }),
    ),
  }),
})

export const InvoiceSchema = z.object({
  id: z.string(),
  customer: ref,
  customer_email: z.string().nullish(),
  customer_name: z.string().nullish(),
  currency: z.string(),
  amount_due: MinorAmount,
  amount_paid: MinorAmount,
  created: UnixTime,
  parent: z
    .object({
      subscription_details: z.object({ subscription: ref, metadata: MetadataSchema }).nullish(),
    })
    .nullish(),
})

export const InvoicePaymentSchema = z.object({
  invoice: ref,
  payment: z.object({ type: z.string(), payment_intent: ref.optional() }),
})

export const ChargeSchema = z.object({
  id: z.string(),
  payment_intent: ref,
  amount_refunded: MinorAmount,
})

export const RefundSchema = z.object({
  id: z.string(),
  charge: ref,
  payment_intent: ref,
  amount: MinorAmount,
  status: z.string(),
})

export const DisputeSchema = z.object({
  id: z.string(),
  charge: ref,
  payment_intent: ref,
  amount: MinorAmount,
  status: z.string(),
})

export const CustomerSchema = z.object({
  id: z.string(),
  email: z.string().nullish(),
  name: z.string().nullish(),
})
