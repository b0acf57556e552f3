/**
 * What supporters gave, kept by the database as the facts arrive (migrations/0008): always the
 * full recomputation from the rows, whatever the order, and an event costs the same D1 rows
 * however long the supporter's history.
 */
import { applyD1Migrations, createScheduledController } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { asEditor } from '../helpers/editors'
import { env } from '../helpers/http'
import { deliver, delivered, stripeEvent, stripeId, type StripeEvent } from '../helpers/stripe'
import { DAY } from '../helpers/stripe-fixtures'
import { checkoutSubscriber, shuffledWithRepeats } from '../helpers/stripe-lives'
import { giver, subscriber, uniqueEmail } from '../helpers/supporters'

/** Every payment as it was computed from all the rows before anything was kept (migration 0006's code). */
const INTENTS = `SELECT p.payment_intent_id
  UNION ALL SELECT l.payment_intent_id FROM support_invoice_payments l WHERE l.invoice_id = p.invoice_id`
const RECOMPUTED = `SELECT f.id, f.supporter_id, f.currency, f.amount_refunded,
    CASE WHEN f.status = 'failed' THEN 'failed' WHEN f.amount_disputed > 0 THEN 'disputed'
      WHEN f.amount_refunded >= f.amount THEN 'refunded' ELSE 'paid' END AS status,
    CASE WHEN f.status = 'paid' THEN max(0, f.amount - f.amount_refunded - f.amount_disputed)
      ELSE 0 END AS net
  FROM (SELECT p.id, p.amount, p.currency, p.status,
      COALESCE((SELECT c.supporter_id FROM support_customers c WHERE c.id = p.customer_id),
        p.supporter_id) AS supporter_id,
      min(p.amount,
        COALESCE((SELECT sum(r.amount) FROM support_refunds r
          WHERE r.payment_intent_id IN (${INTENTS}) AND r.status IN ('pending', 'succeeded')), 0)
        + COALESCE((SELECT sum(ch.amount_refunded) FROM support_charges ch
          WHERE ch.payment_intent_id IN (${INTENTS})
            AND NOT EXISTS (SELECT 1 FROM support_refunds r WHERE r.charge_id = ch.id)), 0))
        AS amount_refunded,
      COALESCE((SELECT sum(d.amount) FROM support_disputes d
        WHERE d.payment_intent_id IN (${INTENTS}) AND d.funds_reinstated = 0 AND d.status <> 'won'
          AND (d.funds_withdrawn = 1 OR d.status IN ('needs_response', 'under_review', 'lost'))), 0)
        AS amount_disputed
    FROM support_payments p) f`

type Rows = Record<string, unknown>[]

/** What the database keeps, and the same figures recomputed from every row. */
async function keptAndRecomputed(db: D1Database) {
  const [payments, recomputedPayments, totals, recomputedTotals, lifetimes] = await db.batch<
    Record<string, unknown>
  >([
    db.prepare(
      `SELECT id, supporter_id, amount_refunded, listed_status AS status FROM support_payments
       ORDER BY id`,
    ),
    db.prepare(`SELECT id, supporter_id, amount_refunded, status FROM (${RECOMPUTED}) ORDER BY id`),
    db.prepare(
      `SELECT supporter_id, currency, net FROM supporter_totals WHERE net <> 0
       ORDER BY supporter_id, currency`,
    ),
    db.prepare(
      `SELECT supporter_id, currency, sum(net) AS net FROM (${RECOMPUTED})
       WHERE supporter_id IS NOT NULL GROUP BY supporter_id, currency HAVING sum(net) <> 0
       ORDER BY supporter_id, currency`,
    ),
    db.prepare(
      `SELECT s.id, s.lifetime_amount AS kept, COALESCE((SELECT sum(r.net) FROM (${RECOMPUTED}) r
         WHERE r.supporter_id = s.id AND r.currency = s.currency), 0) AS recomputed
       FROM supporters s ORDER BY s.id`,
    ),
  ])
  const rows = (result: D1Result<Record<string, unknown>> | undefined): Rows =>
    result?.results ?? []
  return {
    kept: {
      payments: rows(payments),
      totals: rows(totals),
      lifetimes: rows(lifetimes).map(({ id, kept }) => ({ id, lifetime: kept })),
    },
    recomputed: {
      payments: rows(recomputedPayments),
      totals: rows(recomputedTotals),
      lifetimes: rows(lifetimes).map(({ id, recomputed }) => ({ id, lifetime: recomputed })),
    },
  }
}

async function expectKeptAsRecomputed(when: string, db = env.DB) {
  const { kept, recomputed } = await keptAndRecomputed(db)
  expect(kept, when).toEqual(recomputed)
  return kept
}

const START = Math.floor(Date.now() / 1000) - 400 * DAY

/**
 * A subscriber's year: twelve renewals, a full refund (charge.refunded and its refund), a
 * refund that fails, a partial refund, a charge's own figures without refund objects, a lost
 * chargeback, a won one, an inquiry, and a change of email in the customer portal; a gift in
 * another currency from another customer with the same email; and another subscriber whose
 * first invoice carries no email, so its payment has no supporter until Checkout links its
 * customer, and one whose first invoice comes after the subscription is active.
 */
function aYear(): { events: StripeEvent[]; email: string } {
  const life = checkoutSubscriber({ start: START })
  const at = (n: number) => life.periodStart(n) + DAY
  const refund = (
    type: Parameters<typeof life.refund>[0],
    n: number,
    refund: { key: string; amount: number; status: 'pending' | 'succeeded' | 'failed' },
    when = at(n),
  ) =>
    life.refund(
      type,
      n,
      { id: `re_${refund.key}_${life.customer}`, created: at(n), ...refund },
      when,
    )
  const email = uniqueEmail('portal')
  const gift = giver({ email: life.email.toUpperCase(), currency: 'eur', amount: 2_500 })
  const late = subscriber()
  const prompt = subscriber()
  const events = [
    ...life.signUp(),
    ...Array.from({ length: 12 }, (_, n) => life.renewal(n + 1)).flat(),
    life.chargeRefunded(2, 500, at(2)),
    refund('refund.created', 2, { key: 'a', amount: 500, status: 'succeeded' }),
    refund('refund.created', 3, { key: 'b', amount: 500, status: 'pending' }),
    refund('refund.failed', 3, { key: 'b', amount: 500, status: 'failed' }, at(3) + DAY),
    refund('refund.created', 4, { key: 'c', amount: 200, status: 'succeeded' }),
    life.chargeRefunded(4, 200, at(4)),
    life.chargeRefunded(5, 100, at(5)),
    life.chargeRefunded(5, 300, at(5) + DAY),
    life.dispute('created', 6, 'needs_response', at(6)),
    life.dispute('funds_withdrawn', 6, 'needs_response', at(6)),
    life.dispute('closed', 6, 'lost', at(6) + 30 * DAY),
    life.dispute('created', 7, 'needs_response', at(7)),
    life.dispute('funds_withdrawn', 7, 'needs_response', at(7)),
    life.dispute('closed', 7, 'won', at(7) + 30 * DAY),
    life.dispute('funds_reinstated', 7, 'won', at(7) + 30 * DAY),
    life.dispute('created', 8, 'warning_needs_response', at(8)),
    life.dispute('closed', 8, 'warning_closed', at(8) + DAY),
    life.portalChange(email, 'Ada King', at(9)),
    gift.completed(),
    gift.refunded(1_000),
    late.invoice(true, { email: null }),
    late.completed(),
    late.state('created', 'active'),
    prompt.completed(),
    prompt.state('created', 'active'),
    prompt.invoice(true),
  ]
  return { events, email }
}

describe('supporters’ totals', () => {
  it('equal the recomputation from every row after each event of a year, in any order', async () => {
    const orders = [
      { name: 'Stripe’s order', events: aYear().events },
      ...[1, 2].map((seed) => ({
        name: `seed ${seed}`,
        events: shuffledWithRepeats(aYear().events, seed),
      })),
    ]
    for (const { name, events } of orders) {
      for (const [n, event] of events.entries()) {
        await delivered(event)
        await expectKeptAsRecomputed(`${name}, event ${n}: ${event.type}`)
      }
    }
    const kept = await expectKeptAsRecomputed('the end')
    const statuses = new Set(kept.payments.map((payment) => payment.status))
    expect([...statuses].sort()).toEqual(['disputed', 'paid', 'refunded'])
    expect(new Set(kept.totals.map((total) => total.currency))).toEqual(new Set(['eur', 'usd']))
  })

  it('stay the recomputation through an erasure and the hourly clean-up', async () => {
    const { events, email } = aYear()
    for (const event of events) await delivered(event)
    const stranger = stripeEvent('refund.created', {
      id: stripeId('re'),
      object: 'refund',
      amount: 100,
      charge: stripeId('ch'),
      payment_intent: stripeId('pi'),
      status: 'succeeded',
    })
    await delivered(stranger)
    const before = await expectKeptAsRecomputed('before')
    const erased = await asEditor('/v1/admin/erasure', { json: { email } })
    expect(await erased.json()).toMatchObject({ supporters: 1 })
    await worker.scheduled(
      createScheduledController({
        scheduledTime: Date.now() + 31 * DAY * 1000,
        cron: '17 * * * *',
      }),
      env,
    )
    const refunds = await env.DB.prepare('SELECT count(*) AS n FROM support_refunds WHERE id = ?')
      .bind(stranger.data.object.id)
      .first<{ n: number }>()
    expect(refunds?.n).toBe(0)
    expect(await expectKeptAsRecomputed('after')).toEqual(before)
  })

  it('follow rows relinked or deleted, whoever writes them', async () => {
    const life = checkoutSubscriber({ start: START })
    const at = life.periodStart(1) + DAY
    const refund = { id: `re_${life.customer}`, amount: 200, created: at }
    const other = giver({ currency: 'usd', amount: 700 })
    for (const event of [
      ...life.signUp(),
      ...[1, 2, 3].flatMap((n) => life.renewal(n)),
      life.refund('refund.created', 0, { ...refund, status: 'succeeded' }, at),
      life.chargeRefunded(1, 100, at),
      life.dispute('created', 2, 'needs_response', at),
      life.chargeRefunded(3, 50, at),
      other.completed(),
    ])
      await delivered(event)
    const lifetimeOf = async (email: string) =>
      (
        await env.DB.prepare('SELECT lifetime_amount FROM supporters WHERE email = ?')
          .bind(email)
          .first<{ lifetime_amount: number }>()
      )?.lifetime_amount
    const run = (sql: string, ...binds: string[]) => env.DB.prepare(sql).bind(...binds)

    await run(
      'UPDATE support_payments SET customer_id = ? WHERE id = ?',
      life.customer,
      other.paymentIntent,
    ).run()
    await expectKeptAsRecomputed('a payment given another customer')
    expect(await lifetimeOf(life.email)).toBe(300 + 400 + 0 + 450 + 700)
    expect(await lifetimeOf(other.email)).toBe(0)

    await run(
      'UPDATE support_customers SET supporter_id = (SELECT id FROM supporters WHERE email = ?) WHERE id = ?',
      other.email,
      life.customer,
    ).run()
    await expectKeptAsRecomputed('a customer linked to another supporter')
    expect(await lifetimeOf(other.email)).toBe(300 + 400 + 0 + 450 + 700)
    expect(await lifetimeOf(life.email)).toBe(0)

    await env.DB.batch([
      run('DELETE FROM support_refunds WHERE id = ?', refund.id),
      run('DELETE FROM support_charges WHERE id = ?', life.payment(1).charge),
      run('DELETE FROM support_disputes WHERE charge_id = ?', life.payment(2).charge),
    ])
    await expectKeptAsRecomputed('facts deleted')
    expect(await lifetimeOf(other.email)).toBe(500 + 500 + 500 + 450 + 700)

    await env.DB.batch([
      run('DELETE FROM support_invoice_payments WHERE invoice_id = ?', life.payment(3).invoice),
      run('DELETE FROM support_payments WHERE id = ?', life.payment(0).invoice),
    ])
    await expectKeptAsRecomputed('a link and a payment deleted')
    expect(await lifetimeOf(other.email)).toBe(500 + 500 + 500 + 700)
  })
})

describe('migration 0008 on a database that predates it', () => {
  it('fills in every payment’s worth, every total and every lifetime amount', async () => {
    const db = env.PREVIOUS_DB
    await applyD1Migrations(
      db,
      env.TEST_MIGRATIONS.filter((migration) => migration.name < '0008'),
    )
    // The webhook's batch ends by taking 0010's supporter transitions: that one table, made by
    // hand, stands in for 0010 until the migrations run.
    const transitions =
      'supporter_transitions (supporter_id TEXT, from_status TEXT, to_status TEXT)'
    await db.prepare(`CREATE TABLE ${transitions}`).run()
    // The webhook records the same facts with or without 0008; only what is derived changed.
    for (const event of aYear().events) {
      const response = await deliver(event, { env: { DB: db } })
      expect(response.status).toBe(200)
    }
    const unlinked = await db
      .prepare(
        `SELECT count(*) AS n FROM support_payments p JOIN support_customers c ON c.id = p.customer_id
         WHERE p.supporter_id IS NOT c.supporter_id`,
      )
      .first<{ n: number }>()
    expect(unlinked?.n).toBeGreaterThan(0)
    await db.prepare('DROP TABLE supporter_transitions').run()
    await applyD1Migrations(db, env.TEST_MIGRATIONS)
    const kept = await expectKeptAsRecomputed('after the migration', db)
    expect(kept.lifetimes.filter((row) => Number(row.lifetime) > 0).length).toBeGreaterThan(2)
  })
})

/** The D1 rows an event reads and writes, as the webhook applies it. */
async function costOf(event: StripeEvent): Promise<{ read: number; written: number }> {
  const cost = { read: 0, written: 0 }
  const metered = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements)
          for (const { meta } of results) {
            cost.read += meta.rows_read
            cost.written += meta.rows_written
          }
          return results
        }
      const value = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const response = await deliver(event, { env: { DB: metered } })
  expect(response.status).toBe(200)
  expect(await response.json()).toMatchObject({ outcome: 'applied' })
  return cost
}

/** A subscriber with `invoices` paid invoices before now, each linked to its payment intent. */
async function subscriberWith(invoices: number) {
  const reader = subscriber()
  await delivered(reader.completed())
  await delivered(reader.state('created', 'active'))
  for (let n = 0; n < invoices; n += 1) {
    const invoice = stripeId('in')
    await delivered(reader.invoice(true, { invoice }))
    await delivered(reader.invoicePayment(invoice, stripeId('pi')))
  }
  return reader
}

describe('what an event costs', () => {
  it('reads and writes as many D1 rows after 120 invoices as for a new subscriber', async () => {
    const fresh = await subscriberWith(0)
    const long = await subscriberWith(120)
    const events = (reader: Awaited<ReturnType<typeof subscriberWith>>) => {
      const invoice = stripeId('in')
      const paymentIntent = stripeId('pi')
      return {
        'invoice.paid': reader.invoice(true, { invoice }),
        'invoice_payment.paid': reader.invoicePayment(invoice, paymentIntent),
        'charge.refunded': reader.refund(stripeId('ch'), paymentIntent, 200),
        'customer.subscription.updated': reader.state('updated', 'past_due'),
      }
    }
    const freshEvents = events(fresh)
    const longEvents = events(long)
    for (const type of Object.keys(freshEvents) as (keyof typeof freshEvents)[]) {
      const first = await costOf(freshEvents[type])
      const later = await costOf(longEvents[type])
      // An index seek reads one row or two, as a neighbouring key happens to follow the random
      // Stripe id or not: a few rows either way are noise, a history's 120 invoices are not.
      expect(later.read, `${type}: rows read`).toBeLessThanOrEqual(first.read * 1.2 + 4)
      expect(later.written, `${type}: rows written`).toBeLessThanOrEqual(first.written * 1.2)
    }
  }, 60_000)
})
