/**
 * What supporters and payments are worth, derived from the facts Stripe told us (ledger.ts
 * records them), and the editors' and public views of them.
 */
import type { z } from 'zod'
import type { PaymentSchema, SupporterSchema, SupporterStatus } from './supporter-schemas'
import { firstOf, rowsOf } from '../http/d1'

/** A dispute holds the payment's money back: opened as a chargeback, or its funds withdrawn. */
const HOLDS_MONEY = `d.funds_reinstated = 0 AND d.status <> 'won'
  AND (d.funds_withdrawn = 1 OR d.status IN ('needs_response', 'under_review', 'lost'))`

/**
 * Every payment with what it is worth now, for the payments matched by `where` (a condition on
 * `p`). Its payment intents are its own (a gift) or those linked to its invoice. Refunds count
 * while `pending` or `succeeded`; a charge's own cumulative figure counts only where no refund
 * object of that charge is known. Disputes count while they hold money back. The payment
 * belongs to its customer's supporter, else to the supporter it was recorded for.
 */
export function paymentFacts(where: string): string {
  const intents = `SELECT p.payment_intent_id
    UNION ALL SELECT l.payment_intent_id FROM support_invoice_payments l
    WHERE l.invoice_id = p.invoice_id`
  const facts = `SELECT p.id, p.amount, p.currency, p.status, p.created_at,
      COALESCE((SELECT c.supporter_id FROM support_customers c WHERE c.id = p.customer_id),
        p.supporter_id) AS supporter_id,
      min(p.amount,
        COALESCE((SELECT sum(r.amount) FROM support_refunds r
          WHERE r.payment_intent_id IN (${intents}) AND r.status IN ('pending', 'succeeded')), 0)
        + COALESCE((SELECT sum(ch.amount_refunded) FROM support_charges ch
          WHERE ch.payment_intent_id IN (${intents})
            AND NOT EXISTS (SELECT 1 FROM support_refunds r WHERE r.charge_id = ch.id)), 0))
        AS amount_refunded,
      COALESCE((SELECT sum(d.amount) FROM support_disputes d
        WHERE d.payment_intent_id IN (${intents}) AND ${HOLDS_MONEY}), 0) AS amount_disputed
    FROM support_payments p WHERE ${where}`
  return `SELECT f.id, f.supporter_id, f.amount, f.amount_refunded, f.currency, f.created_at,
      CASE WHEN f.status = 'failed' THEN 'failed' WHEN f.amount_disputed > 0 THEN 'disputed'
        WHEN f.amount_refunded >= f.amount THEN 'refunded' ELSE 'paid' END AS status,
      CASE WHEN f.status = 'paid' THEN max(0, f.amount - f.amount_refunded - f.amount_disputed)
        ELSE 0 END AS net
    FROM (${facts}) f`
}

/** The supporters an event may have changed, from the Stripe ids and email it carries. */
const AFFECTED = `SELECT supporter_id FROM support_customers WHERE id = ?1
  UNION SELECT id FROM supporters WHERE email = ?2
  UNION SELECT c.supporter_id FROM support_subscriptions u
    JOIN support_customers c ON c.id = u.customer_id WHERE u.id = ?3
  UNION SELECT COALESCE(c.supporter_id, p.supporter_id) FROM support_payments p
    LEFT JOIN support_customers c ON c.id = p.customer_id
    WHERE p.payment_intent_id = ?4 OR p.invoice_id = ?5
      OR p.invoice_id IN (SELECT l.invoice_id FROM support_invoice_payments l
        WHERE l.payment_intent_id = ?4)`

/**
 * For the affected supporters: their customers, the subscriptions that count (known from
 * Stripe, started, not held by a checkout) and their paid gifts.
 */
const SUPPORTER_FACTS = `WITH affected (id) AS (${AFFECTED}),
  linked AS (SELECT c.id, c.supporter_id FROM support_customers c
    WHERE c.supporter_id IN (SELECT id FROM affected)),
  counted AS (SELECT l.supporter_id, u.* FROM support_subscriptions u JOIN linked l ON l.id = u.customer_id
    WHERE u.status IS NOT NULL AND u.status NOT IN ('incomplete', 'incomplete_expired')
      AND (u.checkout_state IS NULL OR u.checkout_state = 'paid')),
  gifts AS (SELECT COALESCE(c.supporter_id, g.supporter_id) AS supporter_id, g.*
    FROM support_payments g LEFT JOIN support_customers c ON c.id = g.customer_id
    WHERE g.kind = 'gift' AND g.status = 'paid'
      AND (g.supporter_id IN (SELECT id FROM affected) OR g.customer_id IN (SELECT id FROM linked)))`

/** Where an event's supporters are found: the Stripe ids and the email it carries. */
export interface Anchors {
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
export function refreshSupporters(
  db: D1Database,
  anchors: Anchors,
  at: string,
): D1PreparedStatement[] {
  const binds = [
    anchors.customerId ?? null,
    anchors.email ?? null,
    anchors.subscriptionId ?? null,
    anchors.paymentIntentId ?? null,
    anchors.invoiceId ?? null,
    at,
  ]
  const mine = 'supporter_id = supporters.id'
  const current = db
    .prepare(
      `${SUPPORTER_FACTS}
       UPDATE supporters SET
         status = CASE
           WHEN EXISTS (SELECT 1 FROM counted WHERE ${mine} AND status IN ('active', 'trialing'))
             THEN 'active'
           WHEN EXISTS (SELECT 1 FROM counted WHERE ${mine} AND status = 'past_due') THEN 'past_due'
           WHEN EXISTS (SELECT 1 FROM counted WHERE ${mine}) THEN 'canceled'
           WHEN EXISTS (SELECT 1 FROM gifts WHERE ${mine}) THEN 'one_time'
         END,
         (tier_id, amount, currency, interval, current_period_end, canceled_at, cancel_at) = (
           SELECT tier_id, amount, currency, interval, current_period_end, canceled_at, cancel_at FROM (
             SELECT CASE WHEN status IN ('active', 'trialing', 'past_due') THEN 0 ELSE 1 END AS rank,
               started_at AS at, id, tier_id, amount, currency, interval, current_period_end,
               canceled_at, cancel_at
             FROM counted WHERE ${mine}
             UNION ALL
             SELECT 2, created_at, id, NULL, amount, currency, NULL, NULL, NULL, NULL
             FROM gifts WHERE ${mine}
           ) ORDER BY rank, at DESC, id DESC LIMIT 1),
         since = (SELECT min(at) FROM (
           SELECT started_at AS at FROM counted WHERE ${mine}
           UNION ALL SELECT created_at FROM gifts WHERE ${mine})),
         updated_at = ?6
       WHERE id IN (SELECT id FROM affected)`,
    )
    .bind(...binds)
  const payments = `(p.supporter_id = supporters.id OR p.customer_id IN
    (SELECT c.id FROM support_customers c WHERE c.supporter_id = supporters.id))`
  const lifetime = db
    .prepare(
      `WITH affected (id) AS (${AFFECTED})
       UPDATE supporters SET lifetime_amount = COALESCE((
         SELECT sum(f.net) FROM (${paymentFacts(payments)}) f
         WHERE f.${mine} AND f.currency = supporters.currency), 0),
         updated_at = ?6
       WHERE id IN (SELECT id FROM affected)`,
    )
    .bind(...binds)
  return [current, lifetime]
}

export type SupporterRow = z.infer<typeof SupporterSchema>

const SUPPORTER_COLUMNS = `id, email, name, status, tier_id, amount, currency, interval, since, current_period_end,
  cancel_at, canceled_at, lifetime_amount`

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

export type PaymentRow = z.infer<typeof PaymentSchema>

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
    active: firstOf<{ active: number }>(count)?.active ?? 0,
    monthly_recurring: rowsOf<CurrencyAmount>(recurring),
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
    active_supporters: firstOf<{ active: number }>(count)?.active ?? 0,
    monthly_recurring: rowsOf<CurrencyAmount>(recurring),
    raised: rowsOf<CurrencyAmount>(raised),
  }
}
