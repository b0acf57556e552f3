/**
 * How supporters are described, derived from the facts Stripe told us (ledger.ts records
 * them), and the editors' and public views of supporters and payments. What payments and
 * supporters are worth is kept by the database itself (migrations/0008_supporter_totals.sql).
 */
import type { z } from 'zod'
import type { PaymentSchema, SupporterSchema, SupporterStatus } from './supporter-schemas'
import { firstOf, rowsOf } from '../http/d1'

/** Where an event's supporters are found: the Stripe ids and the email it carries. */
export interface Anchors {
  customerId?: string | null
  email?: string | null
  subscriptionId?: string | null
}

/** The supporters each anchor finds, as SQL reading the anchor from parameter `?n`. */
const ANCHORED: Record<keyof Anchors, (n: number) => string> = {
  customerId: (n) => `SELECT supporter_id FROM support_customers WHERE id = ?${n}`,
  email: (n) => `SELECT id FROM supporters WHERE email = ?${n}`,
  subscriptionId: (n) => `SELECT c.supporter_id FROM support_subscriptions u
    JOIN support_customers c ON c.id = u.customer_id WHERE u.id = ?${n}`,
}

/** What the supporters table holds of the subscription or gift that describes a supporter. */
const DESCRIPTION = [
  'status',
  'tier_id',
  'amount',
  'currency',
  'interval',
  'current_period_end',
  'canceled_at',
  'cancel_at',
  'since',
]

/**
 * How each affected supporter is described, from their subscriptions that count (known from
 * Stripe, started, not held by a checkout) and their paid gifts: the first of these, a live
 * subscription before an ended one before a gift, newest first within each, says what they
 * give; all of them together say their status (the best `standing`: 0 active, 1 past due, 2
 * canceled, 3 one-time) and since when they support. An affected supporter with none of these
 * is described by nothing (NULLs).
 */
const DESCRIBED = `described AS (
    SELECT supporter_id, tier_id, amount, currency, interval, current_period_end, canceled_at,
      cancel_at, row_number() OVER whole AS n, min(at) OVER whole AS since,
      CASE min(standing) OVER whole WHEN 0 THEN 'active' WHEN 1 THEN 'past_due'
        WHEN 2 THEN 'canceled' ELSE 'one_time' END AS status
    FROM (
      SELECT c.supporter_id, u.id, u.started_at AS at, u.tier_id, u.amount, u.currency, u.interval,
        u.current_period_end, u.canceled_at, u.cancel_at,
        CASE WHEN u.status IN ('active', 'trialing', 'past_due') THEN 0 ELSE 1 END AS rank,
        CASE u.status WHEN 'active' THEN 0 WHEN 'trialing' THEN 0 WHEN 'past_due' THEN 1 ELSE 2 END
          AS standing
      FROM support_customers c JOIN support_subscriptions u ON u.customer_id = c.id
      WHERE c.supporter_id IN (SELECT id FROM affected)
        AND u.status IS NOT NULL AND u.status NOT IN ('incomplete', 'incomplete_expired')
        AND (u.checkout_state IS NULL OR u.checkout_state = 'paid')
      UNION ALL
      SELECT g.supporter_id, g.id, g.created_at, NULL, g.amount, g.currency, NULL, NULL, NULL, NULL,
        2, 3
      FROM support_payments g
      WHERE g.supporter_id IN (SELECT id FROM affected) AND g.kind = 'gift' AND g.status = 'paid')
    WINDOW whole AS (PARTITION BY supporter_id ORDER BY rank, at DESC, id DESC
      ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))`

/**
 * Recomputes how the supporters an event's anchors find are described, from their
 * subscriptions and gifts alone, so the result is the same whatever order the events came in;
 * a supporter whose description did not change is not written. No anchor, no statement. Their
 * lifetime amount needs none either: triggers keep it (migrations/0008_supporter_totals.sql).
 */
export function refreshSupporters(
  db: D1Database,
  anchors: Anchors,
  at: string,
): D1PreparedStatement[] {
  const given = (Object.keys(ANCHORED) as (keyof Anchors)[]).flatMap((key) => {
    const value = anchors[key]
    return value ? [{ key, value }] : []
  })
  if (!given.length) return []
  const affected = given.map(({ key }, i) => ANCHORED[key](i + 1)).join(' UNION ')
  const stored = DESCRIPTION.map((column) => `supporters.${column}`).join(', ')
  const fresh = DESCRIPTION.map((column) => `d.${column}`).join(', ')
  return [
    db
      .prepare(
        `WITH affected (id) AS (${affected}), ${DESCRIBED}
         UPDATE supporters SET (${DESCRIPTION.join(', ')}) = (${fresh}), updated_at = ?${given.length + 1}
         FROM affected a LEFT JOIN described d ON d.supporter_id = a.id AND d.n = 1
         WHERE supporters.id = a.id AND (${stored}) IS NOT (${fresh})`,
      )
      .bind(...given.map(({ value }) => value), at),
  ]
}

export type SupporterRow = z.infer<typeof SupporterSchema>

export const SUPPORTER_COLUMNS = `id, email, name, status, tier_id, amount, currency, interval, since, current_period_end,
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
      `SELECT id, supporter_id, amount, amount_refunded, currency, listed_status AS status, created_at
       FROM support_payments p WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`,
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

/** Supporters who count: `active` or `past_due` (the public figures and the goal share it). */
export const ACTIVE_COUNT =
  "SELECT count(*) AS active FROM supporters WHERE status IN ('active', 'past_due')"

/** What active subscriptions bring in a month, per currency; a yearly plan a twelfth. */
export const MONTHLY_RECURRING = `SELECT u.currency,
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
      `SELECT currency, sum(net) AS amount FROM support_payments
       GROUP BY currency HAVING sum(net) > 0 ORDER BY currency`,
    ),
  ])
  return {
    active_supporters: firstOf<{ active: number }>(count)?.active ?? 0,
    monthly_recurring: rowsOf<CurrencyAmount>(recurring),
    raised: rowsOf<CurrencyAmount>(raised),
  }
}
