/**
 * The ledger: what each Stripe event tells us, recorded as facts and applied in one D1 batch
 * led by the insert that makes a second delivery of the event fail. Facts that arrive out of
 * order are kept at their newest known state (by the event's `created`; within one second the
 * state further along wins), so any order of arrival ends in the same state.
 */
import { newId } from '../http/crypto'
import {
  DISPUTE_STAGES,
  REFUND_STAGES,
  SUBSCRIPTION_STAGES,
  type ChargeRefundEffect,
  type CheckoutEffect,
  type CustomerEffect,
  type DisputeEffect,
  type Effect,
  type InvoiceEffect,
  type InvoicePaymentEffect,
  type RefundEffect,
  type Stages,
  type SubscriptionEffect,
} from './effects'
import { refreshSupporters } from './supporter-store'

/** A stored Stripe status's stage, as SQL: `CASE column WHEN 'incomplete' THEN 0 … END`. */
function stageSql(column: string, stages: Stages): string {
  const cases = Object.entries(stages.known).map(
    ([status, stage]) => `WHEN '${status}' THEN ${stage}`,
  )
  return `CASE ${column} ${cases.join(' ')} ELSE ${stages.unknown} END`
}

/**
 * Whether a fact from an event created at `created` in stage `stage` (SQL expressions) is at
 * least as new as the stored one: a later second, or the same second and as far along.
 */
const newer = (created: string, stage: string, storedCreated: string, storedStage: string) =>
  `(${created} > ${storedCreated} OR (${created} = ${storedCreated} AND ${stage} >= ${storedStage}))`

/** Whether the person is ours to record: a marked object, or one linked to a known subscription. */
const OURS = '(?1 = 1 OR EXISTS (SELECT 1 FROM support_subscriptions WHERE id = ?2))'

interface Person {
  email: string | null
  name: string | null
  customerId: string | null
  marked: boolean
  subscriptionId: string | null
}

/**
 * The supporter behind an event. A customer already linked belongs to its supporter, whatever
 * email the event carries (an email changed in Stripe's portal never splits a person);
 * otherwise the person is found by email, or made, and the customer linked to them. Another
 * customer with the same email joins that person and never renames them.
 */
function personStatements(db: D1Database, person: Person, at: string): D1PreparedStatement[] {
  const marked = person.marked ? 1 : 0
  const statements: D1PreparedStatement[] = []
  if (person.email) {
    statements.push(
      db
        .prepare(
          `INSERT INTO supporters (id, email, name, created_at, updated_at)
           SELECT ?3, ?4, ?5, ?6, ?6 WHERE ${OURS}
             AND NOT EXISTS (SELECT 1 FROM support_customers WHERE id = ?7)
           ON CONFLICT (email) DO UPDATE SET name = COALESCE(name, excluded.name),
             updated_at = excluded.updated_at`,
        )
        .bind(
          marked,
          person.subscriptionId,
          newId('spt'),
          person.email,
          person.name,
          at,
          person.customerId,
        ),
    )
    if (person.customerId) {
      statements.push(
        db
          .prepare(
            `INSERT INTO support_customers (id, supporter_id, created_at)
             SELECT ?3, s.id, ?5 FROM supporters s WHERE s.email = ?4 AND ${OURS}
             ON CONFLICT (id) DO NOTHING`,
          )
          .bind(marked, person.subscriptionId, person.customerId, person.email, at),
      )
    }
  }
  if (person.customerId) statements.push(followCustomer(db, person.customerId, person.name, at))
  return statements
}

/**
 * The supporter of a linked customer takes the customer's newest profile (customer.updated);
 * without one, `name` only fills a blank. An email another supporter already has is not taken,
 * and a supporter an admin erased is never named again.
 */
function followCustomer(db: D1Database, customerId: string, name: string | null, at: string) {
  return db
    .prepare(
      `UPDATE supporters SET
         name = COALESCE((SELECT p.name FROM support_customer_profiles p WHERE p.id = ?1), name, ?2),
         email = COALESCE((SELECT p.email FROM support_customer_profiles p WHERE p.id = ?1
           AND NOT EXISTS (SELECT 1 FROM supporters o WHERE o.email = p.email AND o.id <> supporters.id)),
           email),
         updated_at = ?3
       WHERE id = (SELECT supporter_id FROM support_customers WHERE id = ?1) AND erased_at IS NULL`,
    )
    .bind(customerId, name, at)
}

/** The payment's supporter: its customer's, else the person with its email. */
const PAYMENT_SUPPORTER = `COALESCE((SELECT supporter_id FROM support_customers WHERE id = ?3),
  (SELECT id FROM supporters WHERE email = ?4))`

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

/** The charge's own cumulative figure, from its newest event (it falls when a refund fails). */
function chargeRefundStatement(db: D1Database, effect: ChargeRefundEffect, at: string) {
  return db
    .prepare(
      `INSERT INTO support_charges (id, payment_intent_id, amount_refunded, refund_event_created, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (id) DO UPDATE SET amount_refunded = excluded.amount_refunded,
         refund_event_created = excluded.refund_event_created
       WHERE refund_event_created IS NULL
         OR ${newer('?4', '?3', 'refund_event_created', 'amount_refunded')}`,
    )
    .bind(effect.chargeId, effect.paymentIntentId, effect.amountRefunded, effect.eventCreated, at)
}

const REFUND_STAGE = stageSql('status', REFUND_STAGES)

function refundStatement(db: D1Database, effect: RefundEffect, at: string) {
  return db
    .prepare(
      `INSERT INTO support_refunds (id, charge_id, payment_intent_id, amount, status, state_event_created,
         created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (id) DO UPDATE SET charge_id = COALESCE(excluded.charge_id, charge_id),
         amount = excluded.amount, status = excluded.status,
         state_event_created = excluded.state_event_created
       WHERE ${newer('?6', '?8', 'state_event_created', REFUND_STAGE)}`,
    )
    .bind(
      effect.id,
      effect.chargeId,
      effect.paymentIntentId,
      effect.amount,
      effect.status,
      effect.eventCreated,
      at,
      effect.stage,
    )
}

const DISPUTE_STAGE = stageSql('status', DISPUTE_STAGES)

/** The dispute's flags are remembered whenever they came; its state is its newest event's. */
function disputeStatements(db: D1Database, effect: DisputeEffect, at: string) {
  const binds = [
    effect.chargeId,
    effect.id,
    effect.paymentIntentId,
    effect.amount,
    effect.status,
    effect.fundsWithdrawn ? 1 : 0,
    effect.fundsReinstated ? 1 : 0,
    effect.eventCreated,
    at,
    effect.stage,
  ]
  return [
    db
      .prepare(
        `INSERT INTO support_disputes (charge_id, id, payment_intent_id, amount, status, funds_withdrawn,
           funds_reinstated, state_event_created, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (charge_id) DO UPDATE SET
           funds_withdrawn = max(funds_withdrawn, excluded.funds_withdrawn),
           funds_reinstated = max(funds_reinstated, excluded.funds_reinstated)`,
      )
      .bind(...binds.slice(0, 9)),
    db
      .prepare(
        `UPDATE support_disputes SET id = ?2, amount = ?4, status = ?5, state_event_created = ?8
         WHERE charge_id = ?1 AND ${newer('?8', '?10', 'state_event_created', DISPUTE_STAGE)}`,
      )
      .bind(...binds),
  ]
}

/** The customer's newest email and name, kept whether or not the customer is linked yet. */
function customerStatements(db: D1Database, effect: CustomerEffect, at: string) {
  return [
    db
      .prepare(
        `INSERT INTO support_customer_profiles (id, email, name, event_created, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,
           event_created = excluded.event_created
         WHERE excluded.event_created >= event_created`,
      )
      .bind(effect.customerId, effect.email, effect.name, effect.eventCreated, at),
    followCustomer(db, effect.customerId, null, at),
  ]
}

type Applicable = Exclude<Effect, { kind: 'ignore' }>

function effectStatements(db: D1Database, effect: Applicable, at: string): D1PreparedStatement[] {
  switch (effect.kind) {
    case 'checkout':
      return [...checkoutStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'subscription':
      return [
        ...subscriptionStatements(db, effect, at),
        ...refreshSupporters(db, { subscriptionId: effect.id, customerId: effect.customerId }, at),
      ]
    case 'invoice':
      return [
        ...invoiceStatements(db, effect, at),
        ...refreshSupporters(db, { ...effect, invoiceId: effect.id }, at),
      ]
    case 'invoice_payment':
      return [invoicePaymentStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'charge_refund':
      return [chargeRefundStatement(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'refund':
      return [refundStatement(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'dispute':
      return [...disputeStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
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
  return (
    error instanceof Error && /UNIQUE constraint failed: support_events\.id/.test(error.message)
  )
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

/**
 * Applies an event's effect in one batch with the record of the event itself: the batch is
 * atomic, so a failure leaves nothing behind, and a repeat fails on the event's primary key
 * (answered as a duplicate) and changes nothing. An event about something not ours is
 * `ignored`: nothing in its batch matched.
 */
export async function applyEffect(
  db: D1Database,
  event: StripeEventRef,
  effect: Applicable,
  at: string,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  try {
    const [recorded] = await db.batch([
      recordEvent(db, event, effect, at),
      ...effectStatements(db, effect, at),
    ])
    return recorded?.meta.changes ? 'applied' : 'ignored'
  } catch (error) {
    if (isEventTaken(error)) return 'duplicate'
    throw error
  }
}
