/** SQL of the supporters capability: tiers, the effects of Stripe events, the editors' views. */
import { newId } from '../http/crypto'
import type {
  CheckoutEffect,
  DisputeEffect,
  Effect,
  InvoiceEffect,
  InvoicePaymentEffect,
  RefundEffect,
  SubscriptionEffect,
} from './events'
import type { SupporterStatus, TierInterval } from './schemas'

// ---------------------------------------------------------------------------------------------
// Tiers

interface TierRow {
  id: string
  name: string
  description: string
  amount: number
  currency: string
  interval: TierInterval
  active: number
  created_at: string
  updated_at: string
}

const toTier = (row: TierRow) => ({ ...row, active: row.active === 1 })

export type Tier = ReturnType<typeof toTier>

const TIER_COLUMNS =
  'id, name, description, amount, currency, interval, active, created_at, updated_at'

/** Active tiers, cheapest first, as the public sees them. */
export async function listActiveTiers(db: D1Database) {
  const { results } = await db
    .prepare(
      `SELECT id, name, description, amount, currency, interval FROM tiers
       WHERE active = 1 ORDER BY amount, created_at, id`,
    )
    .all<Omit<TierRow, 'active' | 'created_at' | 'updated_at'>>()
  return results
}

export async function listAllTiers(db: D1Database): Promise<Tier[]> {
  const { results } = await db
    .prepare(`SELECT ${TIER_COLUMNS} FROM tiers ORDER BY created_at, id`)
    .all<TierRow>()
  return results.map(toTier)
}

export async function findTier(db: D1Database, id: string): Promise<Tier | null> {
  const row = await db
    .prepare(`SELECT ${TIER_COLUMNS} FROM tiers WHERE id = ?`)
    .bind(id)
    .first<TierRow>()
  return row ? toTier(row) : null
}

export interface TierFields {
  name: string
  description: string
  amount: number
  currency: string
  interval: TierInterval
  active: boolean
}

export async function insertTier(
  db: D1Database,
  id: string,
  fields: TierFields,
  at: string,
): Promise<Tier> {
  const row = await db
    .prepare(
      `INSERT INTO tiers (id, name, description, amount, currency, interval, active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${TIER_COLUMNS}`,
    )
    .bind(
      id,
      fields.name,
      fields.description,
      fields.amount,
      fields.currency,
      fields.interval,
      fields.active ? 1 : 0,
      at,
      at,
    )
    .first<TierRow>()
  if (!row) throw new Error('the tier insert returned nothing')
  return toTier(row)
}

/** Changes the given fields; `null` when no tier has this id. */
export async function updateTier(
  db: D1Database,
  id: string,
  fields: Partial<TierFields>,
  at: string,
): Promise<Tier | null> {
  const row = await db
    .prepare(
      `UPDATE tiers SET
         name = COALESCE(?2, name), description = COALESCE(?3, description), amount = COALESCE(?4, amount),
         currency = COALESCE(?5, currency), interval = COALESCE(?6, interval), active = COALESCE(?7, active),
         updated_at = ?8
       WHERE id = ?1 RETURNING ${TIER_COLUMNS}`,
    )
    .bind(
      id,
      fields.name ?? null,
      fields.description ?? null,
      fields.amount ?? null,
      fields.currency ?? null,
      fields.interval ?? null,
      fields.active === undefined ? null : fields.active ? 1 : 0,
      at,
    )
    .first<TierRow>()
  return row ? toTier(row) : null
}

// ---------------------------------------------------------------------------------------------
// Derived figures: what a payment is worth after refunds and disputes, and who a supporter is.

/**
 * Every payment with what it is worth now, for the payments matched by `where` (a condition on
 * `p`). Its payment intents are its own (a gift) or those linked to its invoice; refunds and
 * open or lost disputes on their charges lower `net`, and decide the status shown.
 */
function paymentFacts(where: string): string {
  const intents = `SELECT p.payment_intent_id
    UNION ALL SELECT l.payment_intent_id FROM support_invoice_payments l
    WHERE l.invoice_id = p.invoice_id`
  const facts = `SELECT p.id, p.amount, p.currency, p.status, p.created_at,
      COALESCE(p.supporter_id,
        (SELECT c.supporter_id FROM support_customers c WHERE c.id = p.customer_id)) AS supporter_id,
      min(p.amount, COALESCE((SELECT sum(ch.amount_refunded) FROM support_charges ch
        WHERE ch.payment_intent_id IN (${intents})), 0)) AS amount_refunded,
      COALESCE((SELECT sum(ch.dispute_amount) FROM support_charges ch
        WHERE ch.payment_intent_id IN (${intents}) AND ch.dispute_status IN ('open', 'lost')), 0)
        AS amount_disputed,
      EXISTS (SELECT 1 FROM support_charges ch
        WHERE ch.payment_intent_id IN (${intents}) AND ch.dispute_status IN ('open', 'lost')) AS disputed
    FROM support_payments p WHERE ${where}`
  return `SELECT f.id, f.supporter_id, f.amount, f.amount_refunded, f.currency, f.created_at,
      CASE WHEN f.status = 'failed' THEN 'failed' WHEN f.disputed THEN 'disputed'
        WHEN f.amount_refunded >= f.amount THEN 'refunded' ELSE 'paid' END AS status,
      CASE WHEN f.status = 'paid' THEN max(0, f.amount - f.amount_refunded - f.amount_disputed)
        ELSE 0 END AS net
    FROM (${facts}) f`
}

const CUSTOMERS_OF_SUPPORTER =
  'SELECT c.id FROM support_customers c WHERE c.supporter_id = supporters.id'

/** A supporter's subscriptions that count: known from Stripe, started, not held by a checkout. */
const COUNTED_SUBSCRIPTIONS = `SELECT u.* FROM support_subscriptions u
  WHERE u.customer_id IN (${CUSTOMERS_OF_SUPPORTER}) AND u.status IS NOT NULL
    AND u.status NOT IN ('incomplete', 'incomplete_expired')
    AND (u.checkout_state IS NULL OR u.checkout_state = 'paid')`

const PAID_GIFTS = `SELECT g.* FROM support_payments g
  WHERE g.kind = 'gift' AND g.status = 'paid'
    AND (g.supporter_id = supporters.id OR g.customer_id IN (${CUSTOMERS_OF_SUPPORTER}))`

const SUPPORTER_PAYMENTS = `(p.supporter_id = supporters.id
  OR p.customer_id IN (${CUSTOMERS_OF_SUPPORTER}))`

/** The supporters an event may have changed, from the Stripe ids and email it carries. */
const AFFECTED_SUPPORTERS = `
  SELECT supporter_id FROM support_customers WHERE id = ?1
  UNION SELECT id FROM supporters WHERE email = ?2
  UNION SELECT c.supporter_id FROM support_subscriptions u
    JOIN support_customers c ON c.id = u.customer_id WHERE u.id = ?3
  UNION SELECT COALESCE(p.supporter_id, c.supporter_id) FROM support_payments p
    LEFT JOIN support_customers c ON c.id = p.customer_id
    WHERE p.payment_intent_id = ?4 OR p.invoice_id = ?5
      OR p.invoice_id IN (SELECT l.invoice_id FROM support_invoice_payments l
        WHERE l.payment_intent_id = ?4)`

interface Anchors {
  customerId?: string | null
  email?: string | null
  subscriptionId?: string | null
  paymentIntentId?: string | null
  invoiceId?: string | null
}

/**
 * Recomputes the derived columns of the supporters an event touched, from the rows alone, so
 * the result is the same whatever order the events came in. Two statements, because the
 * lifetime amount is counted in the currency the first one settles.
 */
function refreshSupporters(db: D1Database, anchors: Anchors, at: string): D1PreparedStatement[] {
  const binds = [
    anchors.customerId ?? null,
    anchors.email ?? null,
    anchors.subscriptionId ?? null,
    anchors.paymentIntentId ?? null,
    anchors.invoiceId ?? null,
    at,
  ]
  const current = db
    .prepare(
      `UPDATE supporters SET
         status = CASE
           WHEN EXISTS (SELECT 1 FROM (${COUNTED_SUBSCRIPTIONS})
             WHERE status IN ('active', 'trialing')) THEN 'active'
           WHEN EXISTS (SELECT 1 FROM (${COUNTED_SUBSCRIPTIONS})
             WHERE status = 'past_due') THEN 'past_due'
           WHEN EXISTS (${COUNTED_SUBSCRIPTIONS}) THEN 'canceled'
           WHEN EXISTS (${PAID_GIFTS}) THEN 'one_time'
         END,
         (tier_id, amount, currency, interval, current_period_end, canceled_at) = (
           SELECT tier_id, amount, currency, interval, current_period_end, canceled_at FROM (
             SELECT CASE WHEN status IN ('active', 'trialing', 'past_due') THEN 0 ELSE 1 END AS rank,
               started_at AS at, id, tier_id, amount, currency, interval, current_period_end, canceled_at
             FROM (${COUNTED_SUBSCRIPTIONS})
             UNION ALL
             SELECT 2, created_at, id, NULL, amount, currency, NULL, NULL, NULL FROM (${PAID_GIFTS})
           ) ORDER BY rank, at DESC, id DESC LIMIT 1),
         since = (SELECT min(at) FROM (
           SELECT started_at AS at FROM (${COUNTED_SUBSCRIPTIONS})
           UNION ALL SELECT created_at FROM (${PAID_GIFTS}))),
         updated_at = ?6
       WHERE id IN (${AFFECTED_SUPPORTERS})`,
    )
    .bind(...binds)
  const lifetime = db
    .prepare(
      `UPDATE supporters SET lifetime_amount = COALESCE((
         SELECT sum(f.net) FROM (${paymentFacts(SUPPORTER_PAYMENTS)}) f
         WHERE f.currency = supporters.currency), 0),
         updated_at = ?6
       WHERE id IN (${AFFECTED_SUPPORTERS})`,
    )
    .bind(...binds)
  return [current, lifetime]
}

// ---------------------------------------------------------------------------------------------
// Applying a Stripe event: one batch, led by the insert that makes a second delivery fail.

/** Whether the person is ours to record: a marked object, or one linked to a known subscription. */
const OURS = '(?1 = 1 OR EXISTS (SELECT 1 FROM support_subscriptions WHERE id = ?2))'

function upsertSupporter(
  db: D1Database,
  marked: boolean,
  subscriptionId: string | null,
  email: string,
  name: string | null,
  at: string,
) {
  return db
    .prepare(
      `INSERT INTO supporters (id, email, name, created_at, updated_at)
       SELECT ?3, ?4, ?5, ?6, ?6 WHERE ${OURS}
       ON CONFLICT (email) DO UPDATE SET name = COALESCE(excluded.name, name),
         updated_at = excluded.updated_at`,
    )
    .bind(marked ? 1 : 0, subscriptionId, newId('spt'), email, name, at)
}

function linkCustomer(
  db: D1Database,
  marked: boolean,
  subscriptionId: string | null,
  customerId: string,
  email: string,
  at: string,
) {
  return db
    .prepare(
      `INSERT INTO support_customers (id, supporter_id, created_at)
       SELECT ?3, s.id, ?5 FROM supporters s WHERE s.email = ?4 AND ${OURS}
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(marked ? 1 : 0, subscriptionId, customerId, email, at)
}

function personStatements(
  db: D1Database,
  effect: {
    email: string | null
    name: string | null
    customerId: string | null
    marked: boolean
    subscriptionId: string | null
  },
  at: string,
): D1PreparedStatement[] {
  if (!effect.email) return []
  return [
    upsertSupporter(db, effect.marked, effect.subscriptionId, effect.email, effect.name, at),
    ...(effect.customerId
      ? [
          linkCustomer(
            db,
            effect.marked,
            effect.subscriptionId,
            effect.customerId,
            effect.email,
            at,
          ),
        ]
      : []),
  ]
}

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
         VALUES (?1, 'gift', ?2, ?3, (SELECT id FROM supporters WHERE email = ?4), ?5, ?6, ?7, ?8)
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

function subscriptionStatements(
  db: D1Database,
  effect: SubscriptionEffect,
  at: string,
): D1PreparedStatement[] {
  // Only a newer (or, on a tie, later delivered) event changes the state, and never a canceled one.
  const newest = `(state_event_created IS NULL OR state_event_created <= ?11)
    AND (status IS NULL OR status <> 'canceled' OR ?5 = 'canceled')`
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
  ]
  const set = `customer_id = COALESCE(?2, customer_id), tier_id = COALESCE(?3, tier_id), status = ?5,
    amount = ?6, currency = ?7, interval = ?8, started_at = ?9, current_period_end = ?10, canceled_at = ?12,
    state_event_created = ?11, updated_at = ?4`
  const write = effect.marked
    ? `INSERT INTO support_subscriptions (id, customer_id, tier_id, status, amount, currency, interval, started_at,
         current_period_end, canceled_at, state_event_created, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?11, ?4, ?4)
       ON CONFLICT (id) DO UPDATE SET ${set} WHERE ${newest}`
    : `UPDATE support_subscriptions SET ${set} WHERE id = ?1 AND ${newest}`
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
         SELECT ?3, 'subscription', ?3, ?2, ?4, (SELECT id FROM supporters WHERE email = ?5), ?6, ?7, ?8, ?9
         WHERE ${OURS}
         ON CONFLICT (id) DO UPDATE SET supporter_id = COALESCE(supporter_id, excluded.supporter_id),
           amount = CASE WHEN status = 'paid' THEN amount ELSE excluded.amount END,
           status = CASE WHEN status = 'paid' THEN 'paid' ELSE excluded.status END`,
      )
      .bind(
        effect.marked ? 1 : 0,
        effect.subscriptionId,
        effect.id,
        effect.customerId,
        effect.email,
        effect.amount,
        effect.currency,
        effect.paid ? 'paid' : 'failed',
        effect.createdAt,
      ),
  ]
}

function invoicePaymentStatements(
  db: D1Database,
  effect: InvoicePaymentEffect,
  at: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO support_invoice_payments (invoice_id, payment_intent_id, created_at) VALUES (?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .bind(effect.invoiceId, effect.paymentIntentId, at),
  ]
}

function refundStatements(db: D1Database, effect: RefundEffect, at: string): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO support_charges (id, payment_intent_id, amount_refunded, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET amount_refunded = max(amount_refunded, excluded.amount_refunded)`,
      )
      .bind(effect.chargeId, effect.paymentIntentId, effect.amountRefunded, at),
  ]
}

function disputeStatements(
  db: D1Database,
  effect: DisputeEffect,
  at: string,
): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO support_charges (id, payment_intent_id, dispute_status, dispute_amount, created_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET
           dispute_status = CASE WHEN excluded.dispute_status = 'open' AND dispute_status IN ('won', 'lost')
             THEN dispute_status ELSE excluded.dispute_status END,
           dispute_amount = excluded.dispute_amount`,
      )
      .bind(effect.chargeId, effect.paymentIntentId, effect.state, effect.amount, at),
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
      return [...invoicePaymentStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'refund':
      return [...refundStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
    case 'dispute':
      return [...disputeStatements(db, effect, at), ...refreshSupporters(db, effect, at)]
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
  const linkedTo = (effect.kind === 'subscription' || effect.kind === 'invoice') && !effect.marked
  const subscriptionId =
    effect.kind === 'subscription'
      ? effect.id
      : effect.kind === 'invoice'
        ? effect.subscriptionId
        : null
  return db
    .prepare(
      `INSERT INTO support_events (id, type, created, received_at) SELECT ?1, ?2, ?3, ?4
       WHERE ?5 = 0 OR EXISTS (SELECT 1 FROM support_subscriptions WHERE id = ?6)`,
    )
    .bind(event.id, event.type, event.created, at, linkedTo ? 1 : 0, subscriptionId)
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

// ---------------------------------------------------------------------------------------------
// The editors' views

export interface SupporterRow {
  id: string
  email: string
  name: string | null
  status: SupporterStatus
  tier_id: string | null
  amount: number | null
  currency: string | null
  interval: TierInterval | null
  since: string
  current_period_end: string | null
  canceled_at: string | null
  lifetime_amount: number
}

const SUPPORTER_COLUMNS = `id, email, name, status, tier_id, amount, currency, interval, since, current_period_end,
  canceled_at, lifetime_amount`

export interface SupporterQuery {
  statuses: SupporterStatus[] | undefined
  /** Lowercase text to find in the email or the name. */
  q: string | undefined
  /** The last row of the previous page: (since, id). */
  after: [string, string] | null
  limit: number
}

/** Newest supporters first, keyset-paged on (since, id), which supporters_*since index. */
export async function listSupporters(
  db: D1Database,
  query: SupporterQuery,
): Promise<SupporterRow[]> {
  const where: string[] = []
  const binds: (string | number)[] = []
  if (query.statuses) {
    where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`)
    binds.push(...query.statuses)
  } else {
    where.push('status IS NOT NULL')
  }
  if (query.q) {
    where.push("(instr(email, ?) > 0 OR instr(lower(coalesce(name, '')), ?) > 0)")
    binds.push(query.q, query.q)
  }
  if (query.after) {
    where.push('(since, id) < (?, ?)')
    binds.push(...query.after)
  }
  const { results } = await db
    .prepare(
      `SELECT ${SUPPORTER_COLUMNS} FROM supporters WHERE ${where.join(' AND ')}
       ORDER BY since DESC, id DESC LIMIT ?`,
    )
    .bind(...binds, query.limit + 1)
    .all<SupporterRow>()
  return results
}

export interface PaymentRow {
  id: string
  supporter_id: string | null
  amount: number
  amount_refunded: number
  currency: string
  status: 'paid' | 'refunded' | 'disputed' | 'failed'
  created_at: string
}

/** Newest payments first, keyset-paged on (created_at, id); pending checkouts are not payments. */
export async function listPayments(
  db: D1Database,
  after: [string, string] | null,
  limit: number,
): Promise<PaymentRow[]> {
  const where = ["p.status <> 'pending'", ...(after ? ['(p.created_at, p.id) < (?, ?)'] : [])]
  const { results } = await db
    .prepare(
      `SELECT id, supporter_id, amount, amount_refunded, currency, status, created_at
       FROM (${paymentFacts(where.join(' AND '))}) ORDER BY created_at DESC, id DESC LIMIT ?`,
    )
    .bind(...(after ?? []), limit + 1)
    .all<PaymentRow>()
  return results
}

export interface CurrencyAmount {
  currency: string
  amount: number
}

export interface SupporterTotals {
  /** Supporters whose status is `active` or `past_due`. */
  active: number
  /** What their subscriptions bring in a month, per currency; a yearly plan counts a twelfth. */
  monthly_recurring: CurrencyAmount[]
}

const ACTIVE_COUNT =
  "SELECT count(*) AS active FROM supporters WHERE status IN ('active', 'past_due')"

const MONTHLY_RECURRING = `SELECT u.currency,
    sum(CASE u.interval WHEN 'year' THEN u.amount / 12 ELSE u.amount END) AS amount
  FROM support_subscriptions u
  JOIN support_customers c ON c.id = u.customer_id
  JOIN supporters s ON s.id = c.supporter_id
  WHERE s.status IN ('active', 'past_due') AND u.status IN ('active', 'trialing', 'past_due')
    AND (u.checkout_state IS NULL OR u.checkout_state = 'paid') AND u.amount IS NOT NULL
  GROUP BY u.currency ORDER BY u.currency`

/** The supporter figures of the editors' stats: who supports the newsroom now and with how much. */
export async function supporterTotals(db: D1Database): Promise<SupporterTotals> {
  const [count, recurring] = await db.batch([
    db.prepare(ACTIVE_COUNT),
    db.prepare(MONTHLY_RECURRING),
  ])
  return {
    active: (count?.results[0] as { active: number } | undefined)?.active ?? 0,
    monthly_recurring: (recurring?.results ?? []) as CurrencyAmount[],
  }
}

/** The public figures: supporter totals plus what readers gave, net of refunds and disputes. */
export async function publicSupporterStats(db: D1Database) {
  const [count, recurring, raised] = await db.batch([
    db.prepare(ACTIVE_COUNT),
    db.prepare(MONTHLY_RECURRING),
    db.prepare(
      `SELECT currency, sum(net) AS amount FROM (${paymentFacts('1 = 1')})
       GROUP BY currency HAVING sum(net) > 0 ORDER BY currency`,
    ),
  ])
  return {
    active_supporters: (count?.results[0] as { active: number } | undefined)?.active ?? 0,
    monthly_recurring: (recurring?.results ?? []) as CurrencyAmount[],
    raised: (raised?.results ?? []) as CurrencyAmount[],
  }
}

// ---------------------------------------------------------------------------------------------
// Clean-up

/** How long facts about charges and invoice payments wait to be linked to a payment of ours. */
export const UNLINKED_FACTS_TTL_MS = 30 * 24 * 60 * 60 * 1000

/**
 * The scheduled clean-up: processed event ids older than Stripe could redeliver, and facts
 * about charges and invoice payments that never turned out to be ours.
 */
export async function purgeSupportFacts(db: D1Database, now: number): Promise<void> {
  const cutoff = new Date(now - UNLINKED_FACTS_TTL_MS).toISOString()
  await db.batch([
    db.prepare('DELETE FROM support_events WHERE received_at <= ?').bind(cutoff),
    db
      .prepare(
        `DELETE FROM support_invoice_payments WHERE created_at <= ?
           AND invoice_id NOT IN (SELECT invoice_id FROM support_payments WHERE invoice_id IS NOT NULL)`,
      )
      .bind(cutoff),
    db
      .prepare(
        `DELETE FROM support_charges WHERE created_at <= ?
           AND payment_intent_id NOT IN (SELECT payment_intent_id FROM support_payments
             WHERE payment_intent_id IS NOT NULL)
           AND payment_intent_id NOT IN (SELECT l.payment_intent_id FROM support_invoice_payments l
             JOIN support_payments p ON p.invoice_id = l.invoice_id)`,
      )
      .bind(cutoff),
  ])
}
