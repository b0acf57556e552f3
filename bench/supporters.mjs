// Supporters for the webhook paths: monthly subscribers made through signed events as Stripe
// sends them, some with ten years of paid invoices behind them, and the events their renewals
// send.
import { CONNECTIONS } from './measure.mjs'
import {
  deliver,
  invoicePaid,
  invoicePaymentPaid,
  newSupporter,
  PERIOD,
  sessionCompleted,
  stripeId,
  subscriptionEvent,
} from './stripe.mjs'

/** Months of paid invoices behind a long-time supporter: ten years, monthly. */
export const HISTORY_MONTHS = 120

const now = () => Math.floor(Date.now() / 1000)

/** Runs `work` for every item, `CONNECTIONS` at a time. */
async function eachConcurrently(items, work) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++])
  }
  await Promise.all(Array.from({ length: CONNECTIONS }, worker))
}

/**
 * Monthly subscribers, `count` per group, who checked out the group's `monthsAgo` months ago:
 * each one's subscription created and Checkout Session completed, signed and delivered, no
 * invoice yet. The groups are made in turn, one subscriber of each after the other, so that no
 * group sits earlier in the tables than another.
 */
export async function subscribe(url, groups) {
  const made = groups.map(({ label, count, monthsAgo }) => {
    const start = now() - monthsAgo * PERIOD
    return Array.from({ length: count }, () => newSupporter(label, start))
  })
  const longest = Math.max(...groups.map((group) => group.count))
  const inTurn = Array.from({ length: longest }, (_, i) => made.map((group) => group[i]))
    .flat()
    .filter(Boolean)
  await eachConcurrently(inTurn, async (s) => {
    await deliver(url, subscriptionEvent('customer.subscription.created', s, 0, s.start))
    await deliver(url, sessionCompleted(s))
  })
  return made
}

/**
 * Gives subscribers who started HISTORY_MONTHS months ago their history: every invoice paid but
 * the last is written as the Worker writes it (a payment row and the link to the payment intent
 * that paid it; the event ids themselves were purged after 30 days), then the last month comes
 * as Stripe sends it, signed (invoice.paid, invoice_payment.paid, the subscription moved to its
 * period), so the supporters' derived columns are the Worker's own.
 */
export async function giveHistory(url, db, supporters) {
  const [first] = supporters
  const months = HISTORY_MONTHS - 1
  const at = (column) => `strftime('%Y-%m-%dT%H:%M:%fZ', ?2 + ${column} * ${PERIOD}, 'unixepoch')`
  const invoice = `'in_' || substr(u.id, 5) || printf('%03d', m.n)`
  const history = `WITH RECURSIVE months(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM months WHERE n + 1 < ?1)`
  const ours = `FROM support_subscriptions u JOIN support_customers c ON c.id = u.customer_id, months m
    WHERE u.started_at = ${at('0')}`
  await db.batch([
    db
      .prepare(
        `${history}
         INSERT INTO support_payments (id, kind, invoice_id, subscription_id, customer_id, supporter_id,
           amount, currency, status, created_at)
         SELECT ${invoice}, 'subscription', ${invoice}, u.id, u.customer_id, c.supporter_id, u.amount,
           u.currency, 'paid', ${at('m.n')} ${ours}`,
      )
      .bind(months, first.start),
    db
      .prepare(
        `${history}
         INSERT INTO support_invoice_payments (invoice_id, payment_intent_id, created_at)
         SELECT ${invoice}, 'pi_' || substr(u.id, 5) || printf('%03d', m.n), ${at('m.n')} ${ours}`,
      )
      .bind(months, first.start),
  ])
  await eachConcurrently(supporters, async (s) => {
    const created = s.start + months * PERIOD
    const invoiceId = stripeId('in')
    await deliver(url, invoicePaid(s, { created, invoice: invoiceId }))
    await deliver(url, invoicePaymentPaid(s, invoiceId, stripeId('pi'), created))
    await deliver(url, subscriptionEvent('customer.subscription.updated', s, months, created))
  })
}

/** Each call: a renewal paid today, the next subscriber's in turn. */
export function renewals(supporters) {
  let next = 0
  return () => invoicePaid(supporters[next++ % supporters.length], { created: now() })
}

/** Each call: a renewal paid today by a subscriber we have never heard of. */
export function strangersRenewals() {
  return () => invoicePaid(newSupporter('patron', now() - PERIOD), { created: now() })
}

/**
 * Each call: the next subscriber's subscription moved to its next period, a second newer than
 * the call before, so that every update is the newest its subscription has seen.
 */
export function subscriptionUpdates(supporters) {
  let next = 0
  const since = now() - PERIOD / 2
  return () => {
    const s = supporters[next % supporters.length]
    s.period = (s.period ?? 0) + 1
    next += 1
    return subscriptionEvent('customer.subscription.updated', s, s.period, since + next)
  }
}

/** How many invoices each subscriber has paid, least and most (payments rows by subscription). */
export async function invoicesPerSubscriber(db, supporters) {
  const counts = []
  for (let i = 0; i < supporters.length; i += 90) {
    const ids = supporters.slice(i, i + 90).map((s) => s.subscription)
    const { results } = await db
      .prepare(
        `SELECT count(p.id) AS n FROM support_subscriptions u
         LEFT JOIN support_payments p ON p.subscription_id = u.id
         WHERE u.id IN (${ids.map(() => '?').join(', ')}) GROUP BY u.id`,
      )
      .bind(...ids)
      .all()
    counts.push(...results.map((row) => row.n))
  }
  return { least: Math.min(...counts), most: Math.max(...counts) }
}
