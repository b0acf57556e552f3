import { describe, expect, it } from 'vitest'
import { supporterTotals } from '../../src/support/supporter-store'
import { env } from '../helpers/http'
import { delivered, stripeId, tick, type StripeEvent } from '../helpers/stripe'
import {
  amountIn,
  giver,
  paymentOf,
  publicStats,
  subscriber,
  supporterOf,
  uniqueEmail,
} from '../helpers/supporters'

const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

async function deliverAll(events: StripeEvent[]): Promise<void> {
  for (const event of events) await delivered(event)
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  )
}

describe('a subscriber’s whole life', () => {
  it('goes from checkout to active, renews, falls past due and ends canceled', async () => {
    const reader = subscriber({ amount: 500, currency: 'usd', tierId: 'tier_coffee' })
    const statsBefore = await publicStats()

    await delivered(reader.completed())
    expect(await supporterOf(reader.email)).toBeNull()

    const created = reader.state('created', 'active')
    await delivered(created)
    const firstInvoice = stripeId('in')
    await deliverAll([
      reader.invoice(true, { invoice: firstInvoice }),
      reader.invoicePayment(firstInvoice, stripeId('pi')),
    ])
    const active = await supporterOf(reader.email)
    expect(active).toEqual({
      id: expect.stringMatching(/^spt_/),
      email: reader.email,
      name: 'Ada Reader',
      status: 'active',
      tier_id: 'tier_coffee',
      amount: 500,
      currency: 'usd',
      interval: 'month',
      since: iso(created.data.object.start_date),
      current_period_end: iso(created.data.object.items.data[0]!.current_period_end),
      cancel_at: null,
      canceled_at: null,
      lifetime_amount: 500,
    })
    expect(await paymentOf(firstInvoice)).toMatchObject({
      supporter_id: active?.id,
      amount: 500,
      amount_refunded: 0,
      currency: 'usd',
      status: 'paid',
    })
    const activeStats = await publicStats()
    expect(activeStats.active_supporters).toBe(statsBefore.active_supporters + 1)
    expect(amountIn(activeStats.monthly_recurring, 'usd')).toBe(
      amountIn(statsBefore.monthly_recurring, 'usd') + 500,
    )

    const nextPeriodEnd = created.data.object.items.data[0]!.current_period_end + 30 * 86_400
    await deliverAll([
      reader.state('updated', 'active', { periodEnd: nextPeriodEnd }),
      reader.invoice(true),
    ])
    const renewed = await supporterOf(reader.email)
    expect(renewed).toMatchObject({
      status: 'active',
      current_period_end: iso(nextPeriodEnd),
      lifetime_amount: 1_000,
    })

    const failedInvoice = stripeId('in')
    await delivered(reader.invoice(false, { invoice: failedInvoice }))
    expect(await paymentOf(failedInvoice)).toMatchObject({ status: 'failed', amount: 500 })
    expect((await supporterOf(reader.email))?.status).toBe('active')

    await delivered(reader.state('updated', 'past_due', { periodEnd: nextPeriodEnd }))
    expect(await supporterOf(reader.email)).toMatchObject({
      status: 'past_due',
      lifetime_amount: 1_000,
    })
    expect((await publicStats()).active_supporters).toBe(statsBefore.active_supporters + 1)

    const canceledAt = tick()
    await delivered(reader.state('deleted', 'canceled', { periodEnd: nextPeriodEnd, canceledAt }))
    const canceled = await supporterOf(reader.email)
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancel_at: null,
      canceled_at: iso(canceledAt),
      amount: 500,
      interval: 'month',
      lifetime_amount: 1_000,
    })
    expect(canceled?.since).toBe(active?.since)
    const endStats = await publicStats()
    expect(endStats.active_supporters).toBe(statsBefore.active_supporters)
    expect(amountIn(endStats.monthly_recurring, 'usd')).toBe(
      amountIn(statsBefore.monthly_recurring, 'usd'),
    )
    expect(amountIn(endStats.raised, 'usd')).toBe(amountIn(statsBefore.raised, 'usd') + 1_000)
  })

  it('turns a failed renewal into a paid one on the same payment row when the retry succeeds', async () => {
    const reader = subscriber({ amount: 800, currency: 'gbp' })
    await deliverAll([reader.completed(), reader.state('created', 'active')])
    const renewal = stripeId('in')
    await delivered(reader.invoice(false, { invoice: renewal }))
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(0)
    await delivered(reader.invoice(true, { invoice: renewal }))
    expect(await paymentOf(renewal)).toMatchObject({ status: 'paid', amount: 800 })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(800)
    const rows = await env.DB.prepare(
      'SELECT count(*) AS n FROM support_payments WHERE invoice_id = ?',
    )
      .bind(renewal)
      .first<{ n: number }>()
    expect(rows?.n).toBe(1)
  })

  it('never turns a paid invoice back into a failed one when the failure arrives late', async () => {
    const reader = subscriber()
    await deliverAll([reader.completed(), reader.state('created', 'active')])
    const renewal = stripeId('in')
    const failure = reader.invoice(false, { invoice: renewal })
    await delivered(reader.invoice(true, { invoice: renewal }))
    await delivered(failure)
    expect((await paymentOf(renewal))?.status).toBe('paid')
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(reader.amount)
  })

  it('refunds and disputes a subscription payment through its invoice’s payment intent', async () => {
    const reader = subscriber({ amount: 1_200, currency: 'eur' })
    await deliverAll([reader.completed(), reader.state('created', 'active')])
    const bill = stripeId('in')
    const intent = stripeId('pi')
    const chargeId = stripeId('ch')
    await deliverAll([reader.invoice(true, { invoice: bill }), reader.invoicePayment(bill, intent)])
    await delivered(reader.refund(chargeId, intent, 200))
    expect(await paymentOf(bill)).toMatchObject({ status: 'paid', amount_refunded: 200 })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(1_000)
    await delivered(reader.refund(chargeId, intent, 1_200))
    expect(await paymentOf(bill)).toMatchObject({ status: 'refunded', amount_refunded: 1_200 })
    expect(await supporterOf(reader.email)).toMatchObject({ lifetime_amount: 0, status: 'active' })
  })
})

describe('a one-time gift', () => {
  it('makes the reader a one-time supporter with the gift’s amount', async () => {
    const reader = giver({ amount: 2_500, currency: 'eur', name: 'Grace Hopper' })
    const before = await publicStats()
    await delivered(reader.completed())
    expect(await supporterOf(reader.email)).toMatchObject({
      name: 'Grace Hopper',
      status: 'one_time',
      tier_id: null,
      amount: 2_500,
      currency: 'eur',
      interval: null,
      current_period_end: null,
      cancel_at: null,
      canceled_at: null,
      lifetime_amount: 2_500,
    })
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({
      amount: 2_500,
      currency: 'eur',
      status: 'paid',
      amount_refunded: 0,
    })
    const after = await publicStats()
    expect(after.active_supporters).toBe(before.active_supporters)
    expect(amountIn(after.raised, 'eur')).toBe(amountIn(before.raised, 'eur') + 2_500)
  })

  it('lowers the lifetime amount and the public figures by a partial refund, to nothing by a full one', async () => {
    const reader = giver({ amount: 2_500, currency: 'eur' })
    await delivered(reader.completed())
    const before = await publicStats()
    await delivered(reader.refunded(1_000))
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({
      status: 'paid',
      amount_refunded: 1_000,
    })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(1_500)
    expect(amountIn((await publicStats()).raised, 'eur')).toBe(
      amountIn(before.raised, 'eur') - 1_000,
    )
    await delivered(reader.refunded(2_500))
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({
      status: 'refunded',
      amount_refunded: 2_500,
    })
    expect(await supporterOf(reader.email)).toMatchObject({
      lifetime_amount: 0,
      status: 'one_time',
    })
    expect(amountIn((await publicStats()).raised, 'eur')).toBe(
      amountIn(before.raised, 'eur') - 2_500,
    )
  })

  it('keeps the largest cumulative refund when an older, smaller one arrives late', async () => {
    const reader = giver({ amount: 2_500 })
    await delivered(reader.completed())
    const partial = reader.refunded(500)
    await delivered(reader.refunded(2_500))
    await delivered(partial)
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({
      status: 'refunded',
      amount_refunded: 2_500,
    })
  })

  it('marks a disputed gift and takes it out of the totals until the dispute is won', async () => {
    const reader = giver({ amount: 4_000, currency: 'usd' })
    await delivered(reader.completed())
    const before = await publicStats()
    await delivered(reader.dispute('created', 'needs_response'))
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({ status: 'disputed' })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(0)
    expect(amountIn((await publicStats()).raised, 'usd')).toBe(
      amountIn(before.raised, 'usd') - 4_000,
    )
    await delivered(reader.dispute('closed', 'won'))
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({ status: 'paid' })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(4_000)
    expect(amountIn((await publicStats()).raised, 'usd')).toBe(amountIn(before.raised, 'usd'))
  })

  it('keeps a lost dispute disputed and out of the totals', async () => {
    const reader = giver({ amount: 1_000 })
    await deliverAll([
      reader.completed(),
      reader.dispute('created', 'needs_response'),
      reader.dispute('closed', 'lost'),
    ])
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({ status: 'disputed' })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(0)
  })

  it('does not reopen a dispute closed as won when its creation arrives late', async () => {
    const reader = giver({ amount: 1_000 })
    const opened = reader.dispute('created', 'needs_response')
    await deliverAll([reader.completed(), reader.dispute('closed', 'won'), opened])
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({ status: 'paid' })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(1_000)
  })
})

describe('payments that are not yet paid', () => {
  it('make nobody a supporter until async_payment_succeeded (a gift)', async () => {
    const reader = giver({ amount: 3_000 })
    const before = await publicStats()
    await delivered(reader.completedUnpaid())
    expect(await supporterOf(reader.email)).toBeNull()
    expect(await paymentOf(reader.paymentIntent)).toBeNull()
    expect(await publicStats()).toEqual(before)
    await delivered(reader.asyncSucceeded())
    expect(await supporterOf(reader.email)).toMatchObject({
      status: 'one_time',
      lifetime_amount: 3_000,
    })
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({ status: 'paid' })
  })

  it('make nobody a supporter until async_payment_succeeded (a subscription Stripe already calls active)', async () => {
    const reader = subscriber()
    await deliverAll([reader.completedUnpaid(), reader.state('created', 'active')])
    expect(await supporterOf(reader.email)).toBeNull()
    const before = await supporterTotals(env.DB)
    await delivered(reader.asyncSucceeded())
    expect((await supporterOf(reader.email))?.status).toBe('active')
    expect((await supporterTotals(env.DB)).active).toBe(before.active + 1)
  })

  it('leave nobody a supporter when the payment fails, and list the gift as failed', async () => {
    const gift = giver()
    await deliverAll([gift.completedUnpaid(), gift.asyncFailed()])
    expect(await supporterOf(gift.email)).toBeNull()
    expect(await paymentOf(gift.paymentIntent)).toMatchObject({
      status: 'failed',
      amount: gift.amount,
    })
    const reader = subscriber()
    await deliverAll([
      reader.completedUnpaid(),
      reader.state('created', 'active'),
      reader.asyncFailed(),
    ])
    expect(await supporterOf(reader.email)).toBeNull()
  })

  it('stay paid when the success arrives before the unpaid completion', async () => {
    const reader = giver()
    const unpaid = reader.completedUnpaid()
    await deliverAll([reader.asyncSucceeded(), unpaid])
    expect((await supporterOf(reader.email))?.status).toBe('one_time')
    const sub = subscriber()
    const subUnpaid = sub.completedUnpaid()
    await deliverAll([sub.state('created', 'active'), sub.asyncSucceeded(), subUnpaid])
    expect((await supporterOf(sub.email))?.status).toBe('active')
  })
})

describe('subscription state comes from the newest customer.subscription.* event', () => {
  it('keeps a subscription canceled when an older "active" arrives after the deletion', async () => {
    const reader = subscriber()
    await deliverAll([reader.completed(), reader.state('created', 'active')])
    const lateActive = reader.state('updated', 'active')
    await delivered(reader.state('deleted', 'canceled'))
    await delivered(lateActive)
    expect((await supporterOf(reader.email))?.status).toBe('canceled')
  })

  it('never revives a canceled subscription, even from a newer event', async () => {
    const reader = subscriber()
    await deliverAll([
      reader.completed(),
      reader.state('created', 'active'),
      reader.state('deleted', 'canceled'),
    ])
    await delivered(reader.state('updated', 'active'))
    expect((await supporterOf(reader.email))?.status).toBe('canceled')
  })

  it('ignores an older past_due that arrives after a newer active', async () => {
    const reader = subscriber()
    await delivered(reader.completed())
    const created = reader.state('created', 'active')
    const pastDue = reader.state('updated', 'past_due')
    const recovered = reader.state('updated', 'active')
    await deliverAll([created, recovered, pastDue])
    expect((await supporterOf(reader.email))?.status).toBe('active')
  })

  it('does not move the period end back when an older renewal arrives late', async () => {
    const reader = subscriber()
    const start = tick()
    const older = reader.state('updated', 'active', { periodEnd: start + 30 * 86_400 })
    const newer = reader.state('updated', 'active', { periodEnd: start + 60 * 86_400 })
    await deliverAll([reader.completed(), newer, older])
    expect((await supporterOf(reader.email))?.current_period_end).toBe(iso(start + 60 * 86_400))
  })

  it('lets the state further along win when two events have the same created second', async () => {
    for (const [first, second] of [
      ['past_due', 'active'],
      ['active', 'past_due'],
    ] as const) {
      const reader = subscriber()
      await deliverAll([reader.completed(), reader.state('created', 'active')])
      const at = tick()
      await deliverAll([
        reader.state('updated', first, { created: at }),
        reader.state('updated', second, { created: at }),
      ])
      expect((await supporterOf(reader.email))?.status).toBe('past_due')
    }
  })

  it('never goes back to incomplete once a subscription has left it, even from a newer event', async () => {
    const reader = subscriber()
    await deliverAll([reader.completed(), reader.state('created', 'active'), reader.invoice(true)])
    await delivered(reader.state('updated', 'incomplete'))
    expect((await supporterOf(reader.email))?.status).toBe('active')
  })

  it('takes nothing about state from invoices: a failed invoice leaves an active supporter active', async () => {
    const reader = subscriber()
    await deliverAll([reader.completed(), reader.state('created', 'active'), reader.invoice(false)])
    expect((await supporterOf(reader.email))?.status).toBe('active')
  })
})

describe('events in any order', () => {
  it('counts a subscription whose invoice.paid arrives before checkout.session.completed', async () => {
    const reader = subscriber({ amount: 700, currency: 'eur' })
    await deliverAll([reader.state('created', 'active'), reader.invoice(true)])
    expect(await supporterOf(reader.email)).toMatchObject({
      status: 'active',
      lifetime_amount: 700,
    })
    await delivered(reader.completed())
    expect(await supporterOf(reader.email)).toMatchObject({
      status: 'active',
      name: 'Ada Reader',
      lifetime_amount: 700,
    })
  })

  it('applies a gift’s refund that arrives before its checkout', async () => {
    const reader = giver({ amount: 2_000 })
    await delivered(reader.refunded(2_000))
    expect(await supporterOf(reader.email)).toBeNull()
    await delivered(reader.completed())
    expect(await paymentOf(reader.paymentIntent)).toMatchObject({
      status: 'refunded',
      amount_refunded: 2_000,
    })
    expect(await supporterOf(reader.email)).toMatchObject({
      status: 'one_time',
      lifetime_amount: 0,
    })
  })

  it('applies a renewal’s refund that arrives before the invoice and its payment link', async () => {
    const reader = subscriber({ amount: 900 })
    await deliverAll([reader.completed(), reader.state('created', 'active')])
    const bill = stripeId('in')
    const intent = stripeId('pi')
    await deliverAll([
      reader.refund(stripeId('ch'), intent, 900),
      reader.invoicePayment(bill, intent),
      reader.invoice(true, { invoice: bill }),
    ])
    expect(await paymentOf(bill)).toMatchObject({ status: 'refunded' })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(0)
  })

  it.each(permutations([0, 1, 2, 3]).map((order) => [order.join(' '), order] as const))(
    'ends a subscriber the same whatever the order: %s',
    async (_, order) => {
      const reader = subscriber({ amount: 500, currency: 'usd' })
      const canceledAt = tick()
      const events = [
        reader.completed(),
        reader.state('created', 'active'),
        reader.invoice(true),
        reader.state('deleted', 'canceled', { canceledAt }),
      ]
      await deliverAll(order.map((index) => events[index]!))
      expect(await supporterOf(reader.email)).toMatchObject({
        status: 'canceled',
        cancel_at: null,
        canceled_at: iso(canceledAt),
        amount: 500,
        interval: 'month',
        lifetime_amount: 500,
      })
    },
  )

  it.each(permutations([0, 1, 2, 3]).map((order) => [order.join(' '), order] as const))(
    'ends a gift the same whatever the order: %s',
    async (_, order) => {
      const reader = giver({ amount: 2_500, currency: 'gbp' })
      const events = [
        reader.completed(),
        reader.refunded(1_000),
        reader.dispute('created', 'needs_response'),
        reader.dispute('closed', 'won'),
      ]
      await deliverAll(order.map((index) => events[index]!))
      expect(await paymentOf(reader.paymentIntent)).toMatchObject({
        status: 'paid',
        amount_refunded: 1_000,
      })
      expect(await supporterOf(reader.email)).toMatchObject({
        status: 'one_time',
        lifetime_amount: 1_500,
      })
    },
  )
})

describe('one person, however many customers, subscriptions and gifts', () => {
  it('keys the supporter by case-folded email across Stripe customers', async () => {
    const email = uniqueEmail('ada')
    const gift = giver({ email: email.toUpperCase(), amount: 1_000, currency: 'usd' })
    const sub = subscriber({ email, amount: 500, currency: 'usd' })
    await deliverAll([
      gift.completed(),
      sub.completed(),
      sub.state('created', 'active'),
      sub.invoice(true),
    ])
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM supporters WHERE email = ?')
      .bind(email)
      .first<{ n: number }>()
    expect(rows?.n).toBe(1)
    expect(await supporterOf(email)).toMatchObject({
      email,
      status: 'active',
      amount: 500,
      interval: 'month',
      lifetime_amount: 1_500,
    })
  })

  it('describes the current subscription, not a canceled older one', async () => {
    const email = uniqueEmail('loyal')
    const old = subscriber({ email, amount: 300 })
    await deliverAll([
      old.completed(),
      old.state('created', 'active'),
      old.state('deleted', 'canceled'),
    ])
    const current = subscriber({ email, amount: 1_000, interval: 'year', customer: old.customer })
    await deliverAll([current.completed(), current.state('created', 'active')])
    expect(await supporterOf(email)).toMatchObject({
      status: 'active',
      amount: 1_000,
      interval: 'year',
      cancel_at: null,
      canceled_at: null,
    })
  })

  it('stays canceled, described by the subscription, when a gift follows a cancellation', async () => {
    const email = uniqueEmail('lapsed')
    const sub = subscriber({ email, amount: 600 })
    await deliverAll([
      sub.completed(),
      sub.state('created', 'active'),
      sub.state('deleted', 'canceled'),
    ])
    await delivered(giver({ email, amount: 5_000, currency: 'usd' }).completed())
    expect(await supporterOf(email)).toMatchObject({
      status: 'canceled',
      amount: 600,
      interval: 'month',
    })
  })

  it('describes the latest gift of a one-time supporter', async () => {
    const email = uniqueEmail('generous')
    await delivered(giver({ email, amount: 1_000, currency: 'eur' }).completed())
    await delivered(giver({ email, amount: 3_000, currency: 'eur' }).completed())
    expect(await supporterOf(email)).toMatchObject({
      status: 'one_time',
      amount: 3_000,
      lifetime_amount: 4_000,
    })
  })
})

describe('the recurring figures', () => {
  it('counts active and past_due supporters, a yearly plan as a twelfth rounded down, per currency', async () => {
    const before = await publicStats()
    const totalsBefore = await supporterTotals(env.DB)
    const plans = [
      { amount: 500, currency: 'usd', interval: 'month', status: 'active' },
      { amount: 1_000, currency: 'usd', interval: 'year', status: 'active' },
      { amount: 999, currency: 'usd', interval: 'year', status: 'past_due' },
      { amount: 500, currency: 'jpy', interval: 'month', status: 'active' },
      { amount: 1_000, currency: 'jpy', interval: 'year', status: 'trialing' },
      { amount: 5_000, currency: 'usd', interval: 'month', status: 'canceled' },
    ] as const
    for (const plan of plans) {
      const reader = subscriber({
        amount: plan.amount,
        currency: plan.currency,
        interval: plan.interval,
      })
      await deliverAll([reader.completed(), reader.state('created', plan.status)])
    }
    await delivered(giver({ amount: 10_000, currency: 'usd' }).completed())
    const after = await publicStats()
    expect(after.active_supporters).toBe(before.active_supporters + 5)
    expect(amountIn(after.monthly_recurring, 'usd')).toBe(
      amountIn(before.monthly_recurring, 'usd') + 500 + 83 + 83,
    )
    expect(amountIn(after.monthly_recurring, 'jpy')).toBe(
      amountIn(before.monthly_recurring, 'jpy') + 500 + 83,
    )
    const totals = await supporterTotals(env.DB)
    expect(totals.active).toBe(totalsBefore.active + 5)
    expect(totals.monthly_recurring).toEqual(after.monthly_recurring)
  })

  it('sums every active subscription of one person', async () => {
    const email = uniqueEmail('twice')
    const before = await publicStats()
    const first = subscriber({ email, amount: 500, currency: 'eur' })
    const second = subscriber({ email, amount: 300, currency: 'eur' })
    await deliverAll([
      first.completed(),
      first.state('created', 'active'),
      second.completed(),
      second.state('created', 'active'),
    ])
    const after = await publicStats()
    expect(after.active_supporters).toBe(before.active_supporters + 1)
    expect(amountIn(after.monthly_recurring, 'eur')).toBe(
      amountIn(before.monthly_recurring, 'eur') + 800,
    )
  })
})
