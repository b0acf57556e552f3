/**
 * The ledger: what each Stripe event tells us, recorded as facts and applied in one D1 batch
 * led by the insert that makes a second delivery of the event fail. Facts that arrive out of
 * order are kept at their newest known state (by the event's `created`; within one second the
 * state further along wins), so any order of arrival ends in the same state.
 */
import { chargeRefundStatement, disputeStatements, refundStatement } from './charges'
import {
  SUBSCRIPTION_STAGES,
  type CheckoutEffect,
  type Effect,
  type InvoiceEffect,
  type InvoicePaymentEffect,
  type SubscriptionEffect,
} from './effects'
import { newer, stageSql } from './newest'
import { customerStatements, OURS, PAYMENT_SUPPORTER, personStatements } from './people'
import { refreshSupporters } from './supporter-store'
import { isUniqueViolation } from '../http/d1'

/** `paid` and `failed` are final; `unpaid` only fills a blank. */
const FINAL_CHECKOUT = (column: string) =>
  `CASE WHEN ${column} IN ('paid', 'failed') THEN ${column} ELSE excluded.${column} END`

function checkoutStatements(
  db: D1Database,
  effect: CheckoutEffect,
  at: string,
): D1PreparedStatement[] {
  const person = personStatements(db, { ...effect, marked: true, subscriptionId: null }, at)
  if (effect.mode === 'subscription') {
    if (!effect.subscriptionId) return person
    return [
      ...person,
      db
        .prepare(
          `INSERT INTO support_subscriptions (id, customer_id, tier_id, checkout_state, created_at, updated_at)
           VALUES (?1, ?2, ?3, ?4, ?5, ?5)
           ON CONFLICT (id) DO UPDATE SET customer_id = COALESCE(customer_id, excluded.customer_id),
             tier_id = COALESCE(tier_id, excluded.tier_id),
             checkout_state = ${FINAL_CHECKOUT('checkout_state')},
             updated_at = excluded.updated_at`,
        )
        .bind(effect.subscriptionId, effect.customerId, effect.tierId, effect.outcome, at),
    ]
  }
  const status = effect.outcome === 'unpaid' ? 'pending' : effect.outcome
  return [
    ...person,
    db
      .prepare(
        `INSERT INTO support_payments (id, kind, payment_intent_id, customer_id, supporter_id, amount, currency,
           status, created_at)
         VALUES (?1, 'gift', ?2, ?3, ${PAYMENT_SUPPORTER}, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET customer_id = COALESCE(customer_id, excluded.customer_id),
           supporter_id = COALESCE(supporter_id, excluded.supporter_id),
           status = CASE WHEN status IN ('paid', 'failed') THEN status ELSE excluded.status END`,
      )
      .bind(
        effect.paymentId,
        effect.paymentIntentId,
        effect.customerId,
        effect.email,
        effect.amount,
        effect.currency,
        status,
        effect.createdAt,
      ),
  ]
}

const SUBSCRIPTION_STAGE = stageSql('status', SUBSCRIPTION_STAGES)
const ENDED = "('canceled', 'incomplete_expired')"

function subscriptionStatements(
  db: D1Database,
  effect: SubscriptionEffect,
  at: string,
): D1PreparedStatement[] {
  // The newest state wins; nothing goes back to `incomplete` or revives an ended subscription.
  const applies = `(state_event_created IS NULL
      OR ${newer('?11', '?14', 'state_event_created', SUBSCRIPTION_STAGE)})
    AND (status IS NULL OR status NOT IN ${ENDED} OR ?5 IN ${ENDED})
    AND (?5 <> 'incomplete' OR status IS NULL OR status = 'incomplete')`
  const binds = [
    effect.id,
    effect.customerId,
    effect.tierId,
    at,
    effect.status,
    effect.amount,
    effect.currency,
    effect.interval,
    effect.startedAt,
    effect.currentPeriodEnd,
    effect.eventCreated,
    effect.canceledAt,
    effect.cancelAt,
    effect.stage,
  ]
  const set = `customer_id = COALESCE(?2, customer_id), tier_id = COALESCE(?3, tier_id), status = ?5,
    amount = ?6, currency = ?7, interval = ?8, started_at = ?9, current_period_end = ?10, canceled_at = ?12,
    cancel_at = ?13, state_event_created = ?11, updated_at = ?4`
  const write = effect.marked
    ? `INSERT INTO support_subscriptions (id, customer_id, tier_id, status, amount, currency, interval, started_at,
         current_period_end, canceled_at, cancel_at, state_event_created, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?11, ?4, ?4)
       ON CONFLICT (id) DO UPDATE SET ${set} WHERE ${applies}`
    : `UPDATE support_subscriptions SET ${set} WHERE id = ?1 AND ${applies}`
  return [db.prepare(write).bind(...binds)]
}

function invoiceStatements(
  db: D1Database,
  effect: InvoiceEffect,
  at: string,
): D1PreparedStatement[] {
  return [
    ...personStatements(db, effect, at),
    db
      .prepare(
        `INSERT INTO support_payments (id, kind, invoice_id, subscription_id, customer_id, supporter_id, amount,
           currency, status, created_at)
         SELECT ?5, 'subscription', ?5, ?2, ?3, ${PAYMENT_SUPPORTER}, ?6, ?7, ?8, ?9
         WHERE ${OURS}
         ON CONFLICT (id) DO UPDATE SET supporter_id = COALESCE(supporter_id, excluded.supporter_id),
           amount = CASE WHEN status = 'paid' THEN amount ELSE excluded.amount END,
           status = CASE WHEN status = 'paid' THEN 'paid' ELSE excluded.status END`,
      )
      .bind(
        effect.marked ? 1 : 0,
        effect.subscriptionId,
        effect.customerId,
        effect.email,
        effect.id,
        effect.amount,
        effect.currency,
        effect.paid ? 'paid' : 'failed',
        effect.createdAt,
      ),
  ]
}

function invoicePaymentStatements(db: D1Database, effect: InvoicePaymentEffect, at: string) {
  return db
    .prepare(
      `INSERT INTO support_invoice_payments (invoice_id, payment_intent_id, created_at) VALUES (?, ?, ?)
       ON CONFLICT DO NOTHING`,
    )
    .bind(effect.invoiceId, effect.paymentIntentId, at)
}

type Applicable = Exclude<Effect, { kind: 'ignore' }>

function effectStatements(db: D1Database, effect: Applicable, at: string): D1PreparedStatement[] {
  switch (effect.kind) {
    case 'checkout':
      return [...checkoutStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'subscription':
      return [
        ...subscriptionStatements(db, effect, at),
        ...refreshSupporters(db, { subscriptionId: effect.id }, at),
      ]
    // An invoice changes how a supporter is described only by linking its customer to them.
    case 'invoice':
      return [
        ...invoiceStatements(db, effect, at),
        ...refreshSupporters(db, { customerId: effect.customerId }, at),
      ]
    // Refunds, disputes and the payment intents of invoices change what payments are worth:
    // triggers carry that to the payments they reach and to their supporters' totals.
    case 'invoice_payment':
      return [invoicePaymentStatements(db, effect, at)]
    case 'charge_refund':
      return [chargeRefundStatement(db, effect, at)]
    case 'refund':
      return [refundStatement(db, effect, at)]
    case 'dispute':
      return disputeStatements(db, effect, at)
    case 'customer':
      return customerStatements(db, effect, at)
  }
}

export interface StripeEventRef {
  id: string
  type: string
  created: number
}

/** Whether a failed batch lost the race for its event id to another delivery of the event. */
export function isEventTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'support_events.id')
}

/**
 * Records the event itself. An unmarked subscription or invoice is ours only if we recorded its
 * subscription; otherwise the record (like the rest of the batch) does nothing.
 */
function recordEvent(
  db: D1Database,
  event: StripeEventRef,
  effect: Applicable,
  at: string,
): D1PreparedStatement {
  let linkedTo: string | null = null
  if (effect.kind === 'subscription' && !effect.marked) linkedTo = effect.id
  if (effect.kind === 'invoice' && !effect.marked) linkedTo = effect.subscriptionId
  return db
    .prepare(
      `INSERT INTO support_events (id, type, created, received_at) SELECT ?1, ?2, ?3, ?4
       WHERE ?5 IS NULL OR EXISTS (SELECT 1 FROM support_subscriptions WHERE id = ?5)`,
    )
    .bind(event.id, event.type, event.created, at, linkedTo)
}

/** A supporter whose status the batch changed (migrations/0010_notifications.sql). */
export interface SupporterTransition {
  supporter_id: string
  from_status: string | null
  to_status: string | null
}

export interface Applied {
  outcome: 'applied' | 'duplicate' | 'ignored'
  transitions: SupporterTransition[]
}

/**
 * Applies an event's effect in one batch with the record of the event itself: the batch is
 * atomic, so a failure leaves nothing behind, and a repeat fails on the event's primary key
 * (answered as a duplicate) and changes nothing. An event about something not ours is
 * `ignored`: nothing in its batch matched. The batch ends by taking the supporters whose status
 * it changed (a trigger noted them), so that the caller can announce them once it committed.
 */
export async function applyEffect(
  db: D1Database,
  event: StripeEventRef,
  effect: Applicable,
  at: string,
): Promise<Applied> {
  try {
    const results = await db.batch([
      recordEvent(db, event, effect, at),
      ...effectStatements(db, effect, at),
      db.prepare(
        'DELETE FROM supporter_transitions RETURNING supporter_id, from_status, to_status',
      ),
    ])
    return {
      outcome: results[0]?.meta.changes ? 'applied' : 'ignored',
      transitions: (results.at(-1)?.results ?? []) as SupporterTransition[],
    }
  } catch (error) {
    if (isEventTaken(error)) return { outcome: 'duplicate', transitions: [] }
    throw error
  }
}
