/**
 * The effects of Stripe events: what an event means for readerdesk, as events.ts reads it and
 * ledger.ts applies it, and how far along its life each Stripe state is.
 */

/**
 * How far along its life each Stripe state is. Within one second the state further along wins,
 * since two events of the same second may arrive in either order; a state Stripe adds later
 * counts as `unknown`, the middle of the life.
 */
export interface Stages {
  readonly known: Readonly<Record<string, number>>
  readonly unknown: number
}

export const SUBSCRIPTION_STAGES: Stages = {
  known: {
    incomplete: 0,
    trialing: 1,
    active: 2,
    paused: 3,
    past_due: 4,
    unpaid: 5,
    canceled: 6,
    incomplete_expired: 6,
  },
  unknown: 2,
}

export const REFUND_STAGES: Stages = {
  known: { requires_action: 0, pending: 1, succeeded: 2, failed: 3, canceled: 3 },
  unknown: 1,
}

export const DISPUTE_STAGES: Stages = {
  known: {
    warning_needs_response: 0,
    warning_under_review: 1,
    needs_response: 2,
    under_review: 3,
    warning_closed: 4,
    prevented: 4,
    won: 4,
    lost: 4,
  },
  unknown: 2,
}

export const stageOf = (stages: Stages, status: string) => stages.known[status] ?? stages.unknown

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
  stage: number
  tierId: string | null
  amount: number | null
  currency: string
  interval: 'month' | 'year' | null
  startedAt: string
  currentPeriodEnd: string | null
  canceledAt: string | null
  /** When a subscription set to end will end; `null` once it has ended or when it is not set. */
  cancelAt: string | null
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

/** charge.refunded: the charge's own cumulative figure, used while no refund object is known. */
export interface ChargeRefundEffect {
  kind: 'charge_refund'
  chargeId: string
  paymentIntentId: string
  amountRefunded: number
  eventCreated: number
}

/** refund.* and charge.refund.updated: one refund at its state as of `eventCreated`. */
export interface RefundEffect {
  kind: 'refund'
  id: string
  chargeId: string | null
  paymentIntentId: string
  amount: number
  status: string
  stage: number
  eventCreated: number
}

/** charge.dispute.*: the charge's dispute, and whether this event moved its money. */
export interface DisputeEffect {
  kind: 'dispute'
  id: string
  chargeId: string
  paymentIntentId: string
  amount: number
  status: string
  stage: number
  fundsWithdrawn: boolean
  fundsReinstated: boolean
  eventCreated: number
}

/** customer.updated: the email and name the supporter of this customer now goes by. */
export interface CustomerEffect {
  kind: 'customer'
  customerId: string
  email: string | null
  name: string | null
  eventCreated: number
}

export type Effect =
  | Ignored
  | CheckoutEffect
  | SubscriptionEffect
  | InvoiceEffect
  | InvoicePaymentEffect
  | ChargeRefundEffect
  | RefundEffect
  | DisputeEffect
  | CustomerEffect
