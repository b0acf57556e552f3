/**
 * Whole lives of supporters replayed from Stripe's own fixture objects, in the orders real
 * Stripe sends them, then shuffled and with repeats: every order must end in the same state.
 */
import { describe, expect, it } from 'vitest'
import { delivered, type StripeEvent } from '../helpers/stripe'
import { DAY } from '../helpers/stripe-fixtures'
import {
  checkoutSubscriber,
  deliverAll,
  expectSameEndInAnyOrder,
  type CheckoutSubscriber,
} from '../helpers/stripe-lives'
import {
  giver,
  paymentOf,
  publicStats,
  subscriber,
  supporterOf,
  uniqueEmail,
} from '../helpers/supporters'

/** Every life starts at the same second, so replays of one life carry the same times. */
const START = Math.floor(Date.now() / 1000) - 200 * DAY
const SEEDS = [1, 2, 3, 4, 5]
const iso = (seconds: number) => new Date(seconds * 1000).toISOString()

/** A life of one subscriber: the events `more` adds after the sign-up, and the emails to find. */
function lifeOf(
  more: (life: CheckoutSubscriber) => StripeEvent[],
  emails: (life: CheckoutSubscriber) => string[] = (life) => [life.email],
) {
  return () => {
    const life = checkoutSubscriber({ start: START })
    return { life, events: [...life.signUp(), ...more(life)], emails: emails(life) }
  }
}

describe('a Checkout subscription as Stripe sends it', () => {
  it('keeps the subscriber active whichever of the same-second incomplete and active comes last', async () => {
    for (const last of ['incomplete', 'active']) {
      const before = await publicStats()
      const life = checkoutSubscriber({ start: START })
      const events = life.signUp()
      const created = events.find((event) => event.type === 'customer.subscription.created')!
      const updated = events.find((event) => event.type === 'customer.subscription.updated')!
      expect(created.created).toBe(updated.created)
      const others = events.filter((event) => event !== created && event !== updated)
      await deliverAll([
        ...others,
        ...(last === 'incomplete' ? [updated, created] : [created, updated]),
      ])
      const supporter = await supporterOf(life.email)
      expect(supporter, `${last} last`).toMatchObject({
        status: 'active',
        amount: life.amount,
        interval: 'month',
        since: iso(START),
        current_period_end: iso(START + 30 * DAY),
        lifetime_amount: life.amount,
      })
      expect((await paymentOf(life.payment(0).invoice))?.supporter_id).toBe(supporter?.id)
      expect((await publicStats()).active_supporters).toBe(before.active_supporters + 1)
    }
  })

  it('ends the same delivered in Stripe’s order, shuffled or repeated: sign-up and two renewals', async () => {
    const end = await expectSameEndInAnyOrder(
      lifeOf((life) => [...life.renewal(1), ...life.renewal(2)]),
      3,
      SEEDS,
    )
    expect(end.supporters).toEqual([
      expect.objectContaining({
        email: 0,
        name: 'Ada Lovelace',
        status: 'active',
        current_period_end: iso(START + 90 * DAY),
        lifetime_amount: 1_500,
      }),
    ])
    expect(end.payments.map((payment) => payment?.status)).toEqual(['paid', 'paid', 'paid'])
    expect(end.payments.every((payment) => payment?.owner === 0)).toBe(true)
  })
})

describe('refunds are facts of their own', () => {
  it('gives the money back when a refund fails after charge.refunded', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const at = START + 5 * DAY
    const refund = { id: 're_failing_' + life.customer, amount: 500, created: at }
    await deliverAll([
      life.chargeRefunded(0, 500, at),
      life.refund('refund.created', 0, { ...refund, status: 'pending' }, at),
    ])
    expect(await paymentOf(life.payment(0).invoice)).toMatchObject({
      status: 'refunded',
      amount_refunded: 500,
    })
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(0)

    const failed = { ...refund, status: 'failed' as const }
    await deliverAll([
      life.refund('charge.refund.updated', 0, failed, at + DAY),
      life.refund('refund.failed', 0, failed, at + DAY),
      life.refund('refund.updated', 0, failed, at + DAY),
    ])
    expect(await paymentOf(life.payment(0).invoice)).toMatchObject({
      status: 'paid',
      amount_refunded: 0,
    })
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(500)
  })

  it('ends the same for a failing refund in any order', async () => {
    const end = await expectSameEndInAnyOrder(
      lifeOf((life) => {
        const at = START + 5 * DAY
        const refund = { id: `re_${life.customer}`, amount: 500, created: at }
        const failed = { ...refund, status: 'failed' as const }
        return [
          life.chargeRefunded(0, 500, at),
          life.refund('refund.created', 0, { ...refund, status: 'pending' }, at),
          life.refund('refund.updated', 0, { ...refund, status: 'succeeded' }, at + 60),
          life.refund('charge.refund.updated', 0, failed, at + DAY),
          life.refund('refund.failed', 0, failed, at + DAY),
        ]
      }),
      1,
      SEEDS,
    )
    expect(end.payments[0]).toMatchObject({ status: 'paid', amount_refunded: 0 })
    expect(end.supporters[0]?.lifetime_amount).toBe(500)
  })

  it('adds a second partial refund to the first, in any order', async () => {
    const end = await expectSameEndInAnyOrder(
      lifeOf((life) => {
        const first = { id: `re_a_${life.customer}`, amount: 200, created: START + DAY }
        const second = { id: `re_b_${life.customer}`, amount: 300, created: START + 2 * DAY }
        return [
          ...life.renewal(1),
          life.chargeRefunded(0, 200, START + DAY),
          life.refund('refund.created', 0, { ...first, status: 'succeeded' }, START + DAY),
          life.chargeRefunded(0, 500, START + 2 * DAY),
          life.refund('refund.created', 0, { ...second, status: 'succeeded' }, START + 2 * DAY),
        ]
      }),
      2,
      SEEDS,
    )
    expect(end.payments[0]).toMatchObject({ status: 'refunded', amount_refunded: 500 })
    expect(end.payments[1]).toMatchObject({ status: 'paid', amount_refunded: 0 })
    expect(end.supporters[0]?.lifetime_amount).toBe(500)
  })

  it('counts one partial refund of two while only it is known', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const refund = { id: `re_one_${life.customer}`, amount: 200, created: START + DAY }
    await delivered(
      life.refund('refund.created', 0, { ...refund, status: 'succeeded' }, START + DAY),
    )
    // A later charge.refunded with the cumulative figure does not count twice what the refund says.
    await delivered(life.chargeRefunded(0, 200, START + DAY))
    expect(await paymentOf(life.payment(0).invoice)).toMatchObject({
      status: 'paid',
      amount_refunded: 200,
    })
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(300)
  })

  it('counts a pending refund and gives back a canceled one', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const refund = { id: `re_cancel_${life.customer}`, amount: 500, created: START + DAY }
    await delivered(life.refund('refund.created', 0, { ...refund, status: 'pending' }, START + DAY))
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(0)
    await delivered(
      life.refund('refund.updated', 0, { ...refund, status: 'canceled' }, START + 2 * DAY),
    )
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(500)
  })
})

describe('disputes move totals only while money is withdrawn', () => {
  const at = START + 10 * DAY

  it('moves nothing for an inquiry that closes', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const before = await publicStats()
    for (const [type, status, when] of [
      ['created', 'warning_needs_response', at],
      ['updated', 'warning_under_review', at + DAY],
      ['closed', 'warning_closed', at + 2 * DAY],
    ] as const) {
      await delivered(life.dispute(type, 0, status, when))
      expect(await paymentOf(life.payment(0).invoice), status).toMatchObject({ status: 'paid' })
      expect((await supporterOf(life.email))?.lifetime_amount, status).toBe(500)
    }
    expect((await publicStats()).raised).toEqual(before.raised)
  })

  it('takes the money out when an inquiry escalates, and keeps it out when lost', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    await delivered(life.dispute('created', 0, 'warning_needs_response', at))
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(500)
    await deliverAll([
      life.dispute('updated', 0, 'needs_response', at + DAY),
      life.dispute('funds_withdrawn', 0, 'needs_response', at + DAY),
    ])
    expect(await paymentOf(life.payment(0).invoice)).toMatchObject({ status: 'disputed' })
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(0)
    await delivered(life.dispute('closed', 0, 'lost', at + 30 * DAY))
    expect(await paymentOf(life.payment(0).invoice)).toMatchObject({ status: 'disputed' })
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(0)
  })

  it('takes the money out of a chargeback at once and restores it when won', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    await deliverAll([
      life.dispute('created', 0, 'needs_response', at),
      life.dispute('funds_withdrawn', 0, 'needs_response', at),
    ])
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(0)
    await delivered(life.dispute('updated', 0, 'under_review', at + DAY))
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(0)
    await deliverAll([
      life.dispute('closed', 0, 'won', at + 40 * DAY),
      life.dispute('funds_reinstated', 0, 'won', at + 40 * DAY),
    ])
    expect(await paymentOf(life.payment(0).invoice)).toMatchObject({ status: 'paid' })
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(500)
  })

  it('restores the money on funds_reinstated even before the dispute closes', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll([
      ...life.signUp(),
      life.dispute('created', 0, 'needs_response', at),
      life.dispute('funds_withdrawn', 0, 'needs_response', at),
      life.dispute('funds_reinstated', 0, 'under_review', at + DAY),
    ])
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(500)
  })

  it.each([
    [
      'an inquiry that closes',
      (life: CheckoutSubscriber) => [
        life.dispute('created', 0, 'warning_needs_response', at),
        life.dispute('updated', 0, 'warning_under_review', at + DAY),
        life.dispute('closed', 0, 'warning_closed', at + 2 * DAY),
      ],
      { status: 'paid', lifetime: 1_000 },
    ],
    [
      'an inquiry that escalates and is lost',
      (life: CheckoutSubscriber) => [
        life.dispute('created', 0, 'warning_needs_response', at),
        life.dispute('updated', 0, 'needs_response', at + DAY),
        life.dispute('funds_withdrawn', 0, 'needs_response', at + DAY),
        life.dispute('closed', 0, 'lost', at + 30 * DAY),
      ],
      { status: 'disputed', lifetime: 500 },
    ],
    [
      'a chargeback that is won',
      (life: CheckoutSubscriber) => [
        life.dispute('created', 0, 'needs_response', at),
        life.dispute('funds_withdrawn', 0, 'needs_response', at),
        life.dispute('updated', 0, 'under_review', at + DAY),
        life.dispute('closed', 0, 'won', at + 40 * DAY),
        life.dispute('funds_reinstated', 0, 'won', at + 40 * DAY),
      ],
      { status: 'paid', lifetime: 1_000 },
    ],
  ])('ends the same for %s in any order', async (_, dispute, expected) => {
    const end = await expectSameEndInAnyOrder(
      lifeOf((life) => [...life.renewal(1), ...dispute(life)]),
      2,
      SEEDS,
    )
    expect(end.payments[0]?.status).toBe(expected.status)
    expect(end.payments[1]?.status).toBe('paid')
    expect(end.supporters[0]?.lifetime_amount).toBe(expected.lifetime)
  })
})

describe('a supporter follows its Stripe customer', () => {
  it('takes an email and name changed in the customer portal, and keeps the renewal theirs', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const before = await supporterOf(life.email)
    const newEmail = uniqueEmail('portal')
    await delivered(life.portalChange(newEmail.toUpperCase(), 'Ada King', START + 10 * DAY))
    await deliverAll(life.renewal(1, newEmail))
    expect(await supporterOf(life.email)).toBeNull()
    const after = await supporterOf(newEmail)
    expect(after).toMatchObject({
      id: before?.id,
      email: newEmail,
      name: 'Ada King',
      status: 'active',
      lifetime_amount: 1_000,
    })
    expect((await paymentOf(life.payment(1).invoice))?.supporter_id).toBe(before?.id)
  })

  it('keeps one person when the renewal with the new email comes before customer.updated', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const newEmail = uniqueEmail('portal')
    await deliverAll(life.renewal(1, newEmail))
    expect(await supporterOf(newEmail)).toBeNull()
    expect((await supporterOf(life.email))?.lifetime_amount).toBe(1_000)
  })

  it('ends the same for a portal change and a renewal in any order', async () => {
    let newEmail = ''
    const end = await expectSameEndInAnyOrder(
      lifeOf(
        (life) => {
          newEmail = uniqueEmail('portal')
          return [
            life.portalChange(newEmail, 'Ada King', START + 10 * DAY),
            ...life.renewal(1, newEmail),
          ]
        },
        (life) => [life.email, newEmail],
      ),
      2,
      SEEDS,
    )
    expect(end.supporters).toEqual([
      expect.objectContaining({ email: 1, name: 'Ada King', lifetime_amount: 1_000 }),
    ])
    expect(end.payments.map((payment) => payment?.owner)).toEqual([1, 1])
  })

  it('keeps its email when the new one is already another supporter’s', async () => {
    const other = giver()
    await delivered(other.completed())
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    await delivered(life.portalChange(other.email, 'Ada King', START + 10 * DAY))
    expect(await supporterOf(life.email)).toMatchObject({ name: 'Ada King', status: 'active' })
    expect(await supporterOf(other.email)).toMatchObject({ name: 'Grace Giver' })
  })

  it('joins another customer’s checkout with the same email to the person, never renaming them', async () => {
    const first = subscriber({ name: 'Ada Lovelace' })
    await deliverAll([first.completed(), first.state('created', 'active')])
    const second = giver({ email: first.email.toUpperCase(), name: 'A. L.' })
    await delivered(second.completed())
    const supporter = await supporterOf(first.email)
    expect(supporter).toMatchObject({ name: 'Ada Lovelace', status: 'active' })
    expect((await paymentOf(second.paymentIntent))?.supporter_id).toBe(supporter?.id)
  })
})

describe('a subscription set to end', () => {
  it('shows the date while cancel_at_period_end is set, and nothing once it is unset', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const periodEnd = START + 30 * DAY
    await delivered(
      life.state('updated', 'active', START + DAY, {
        cancelAtPeriodEnd: true,
        cancelAt: periodEnd,
      }),
    )
    expect(await supporterOf(life.email)).toMatchObject({
      status: 'active',
      cancel_at: iso(periodEnd),
      canceled_at: null,
    })
    await delivered(life.state('updated', 'active', START + 2 * DAY))
    expect((await supporterOf(life.email))?.cancel_at).toBeNull()
  })

  it('shows a cancel_at date, and only canceled_at once the subscription ended', async () => {
    const life = checkoutSubscriber({ start: START })
    await deliverAll(life.signUp())
    const end = START + 45 * DAY
    await delivered(life.state('updated', 'active', START + DAY, { cancelAt: end }))
    expect((await supporterOf(life.email))?.cancel_at).toBe(iso(end))
    await delivered(life.state('deleted', 'canceled', end, { cancelAt: end, canceledAt: end }, 1))
    expect(await supporterOf(life.email)).toMatchObject({
      status: 'canceled',
      cancel_at: null,
      canceled_at: iso(end),
    })
  })

  it('ends the same for set and unset in any order', async () => {
    const end = await expectSameEndInAnyOrder(
      lifeOf((life) => [
        life.state('updated', 'active', START + DAY, { cancelAtPeriodEnd: true }),
        life.state('updated', 'active', START + 2 * DAY),
      ]),
      1,
      SEEDS,
    )
    expect(end.supporters[0]).toMatchObject({ status: 'active', cancel_at: null })
  })
})
