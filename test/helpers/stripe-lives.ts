/**
 * Supporters' lives as real Stripe tells them, built from Stripe's own fixture objects: the
 * events a Checkout subscription sends (the same-second `incomplete`/`active` pair, the first
 * invoice and its payment, the customer), renewals, the customer portal, refunds and disputes.
 * A life is made afresh (new ids, same times) for every replay, so one life can be delivered
 * in order, shuffled and duplicated, and the end states compared.
 */
import { expect } from 'vitest'
import { delivered, stripeId, type StripeEvent } from './stripe'
import {
  chargeObject,
  customerObject,
  DAY,
  disputeObject,
  fixtureEvent,
  invoiceObject,
  invoicePaymentObject,
  refundObject,
  sessionObject,
  subscriptionObject,
} from './stripe-fixtures'
import { paymentOf, supporterOf, uniqueEmail, type SupporterItem } from './supporters'

const PERIOD = 30 * DAY

export interface LifeOptions {
  /** When the reader checks out, in Unix seconds; every event of the life is timed from it. */
  start: number
  name?: string
  amount?: number
  currency?: string
}

type RefundStatus = Parameters<typeof refundObject>[0]['status']

/** A reader who subscribes monthly through our Checkout, and everything that follows. */
export function checkoutSubscriber(options: LifeOptions) {
  const email = uniqueEmail('life')
  const name = options.name ?? 'Ada Lovelace'
  const amount = options.amount ?? 500
  const currency = options.currency ?? 'usd'
  const customer = stripeId('cus')
  const subscription = stripeId('sub')
  const metadata = { readerdesk: '1', readerdesk_interval: 'month' }
  const start = options.start
  const payments: { invoice: string; paymentIntent: string; charge: string }[] = []

  /** The ids of the n-th payment (0: the one at Checkout). */
  const payment = (n: number) =>
    (payments[n] ??= {
      invoice: stripeId('in'),
      paymentIntent: stripeId('pi'),
      charge: stripeId('ch'),
    })

  const subscriptionAt = (
    status: string,
    period: number,
    extra: { cancelAtPeriodEnd?: boolean; cancelAt?: number | null; canceledAt?: number } = {},
  ) =>
    subscriptionObject({
      id: subscription,
      customer,
      status,
      amount,
      currency,
      interval: 'month',
      metadata,
      startDate: start,
      periodStart: start + period * PERIOD,
      periodEnd: start + (period + 1) * PERIOD,
      ...extra,
    })

  const paid = (n: number, at: number, invoiceEmail: string) => {
    const ids = payment(n)
    return [
      fixtureEvent(
        'invoice.paid',
        invoiceObject({
          id: ids.invoice,
          customer,
          email: invoiceEmail,
          subscription,
          metadata,
          amount,
          currency,
          paid: true,
          created: at,
          billingReason: n === 0 ? 'subscription_create' : 'subscription_cycle',
        }),
        at,
      ),
      fixtureEvent(
        'invoice_payment.paid',
        invoicePaymentObject({
          invoice: ids.invoice,
          paymentIntent: ids.paymentIntent,
          amount,
          currency,
          created: at,
        }),
        at,
      ),
    ]
  }

  return {
    email,
    name,
    amount,
    currency,
    customer,
    subscription,
    payment,
    /** The renewal's time: n periods after the start. */
    periodStart: (n: number) => start + n * PERIOD,

    /**
     * What Checkout sends, in Stripe's order: the customer, the subscription created
     * `incomplete` and made `active` within the same second, the first invoice paid, the
     * customer updated with its payment method, and the session completed a second later.
     */
    signUp(): StripeEvent[] {
      const person = customerObject({ id: customer, email, name })
      return [
        fixtureEvent('customer.created', person, start),
        fixtureEvent('customer.subscription.created', subscriptionAt('incomplete', 0), start),
        ...paid(0, start, email),
        fixtureEvent('customer.subscription.updated', subscriptionAt('active', 0), start),
        fixtureEvent('customer.updated', person, start),
        fixtureEvent(
          'checkout.session.completed',
          sessionObject({
            mode: 'subscription',
            customer,
            email,
            name,
            subscription,
            paymentIntent: null,
            amount,
            currency,
            paid: true,
            metadata,
            created: start - 60,
          }),
          start + 1,
        ),
      ]
    },

    /** The n-th renewal: the invoice is paid and the subscription moves to the next period. */
    renewal(n: number, invoiceEmail: string = email): StripeEvent[] {
      const at = start + n * PERIOD
      return [
        ...paid(n, at, invoiceEmail),
        fixtureEvent('customer.subscription.updated', subscriptionAt('active', n), at),
      ]
    },

    /** A customer.subscription.* event in period `period`, at `at`. */
    state(
      type: 'created' | 'updated' | 'deleted',
      status: string,
      at: number,
      extra: Parameters<typeof subscriptionAt>[2] = {},
      period = 0,
    ): StripeEvent {
      return fixtureEvent(
        `customer.subscription.${type}`,
        subscriptionAt(status, period, extra),
        at,
      )
    },

    /** The reader changes their email (and name) in Stripe's customer portal. */
    portalChange(newEmail: string, newName: string, at: number): StripeEvent {
      return fixtureEvent(
        'customer.updated',
        customerObject({ id: customer, email: newEmail, name: newName }),
        at,
      )
    },

    /** charge.refunded of the n-th payment's charge, with its cumulative amount refunded. */
    chargeRefunded(n: number, amountRefunded: number, at: number): StripeEvent {
      const ids = payment(n)
      return fixtureEvent(
        'charge.refunded',
        chargeObject({
          id: ids.charge,
          paymentIntent: ids.paymentIntent,
          customer,
          amount,
          amountRefunded,
          currency,
          created: start + n * PERIOD,
        }),
        at,
      )
    },

    /** A refund event (refund.* or charge.refund.updated) of the n-th payment. */
    refund(
      type: 'refund.created' | 'refund.updated' | 'refund.failed' | 'charge.refund.updated',
      n: number,
      refund: { id: string; amount: number; status: RefundStatus; created: number },
      at: number,
    ): StripeEvent {
      const ids = payment(n)
      return fixtureEvent(
        type,
        refundObject({
          ...refund,
          charge: ids.charge,
          paymentIntent: ids.paymentIntent,
          currency,
        }),
        at,
      )
    },

    /** A charge.dispute.* event of the n-th payment, about one dispute per charge. */
    dispute(
      type: 'created' | 'updated' | 'closed' | 'funds_withdrawn' | 'funds_reinstated',
      n: number,
      status: string,
      at: number,
    ): StripeEvent {
      const ids = payment(n)
      return fixtureEvent(
        `charge.dispute.${type}`,
        disputeObject({
          id: `dp_${ids.charge.slice(3)}`,
          charge: ids.charge,
          paymentIntent: ids.paymentIntent,
          amount,
          currency,
          status,
          created: at - (type === 'created' ? 0 : DAY),
        }),
        at,
      )
    },
  }
}

export type CheckoutSubscriber = ReturnType<typeof checkoutSubscriber>

/** A small seeded generator (mulberry32), so a failing order can be replayed. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** The events in a seeded random order, about a third of them delivered twice. */
export function shuffledWithRepeats<T>(events: T[], seed: number): T[] {
  const random = seeded(seed)
  const deliveries = events.flatMap((event) => (random() < 0.35 ? [event, event] : [event]))
  for (let i = deliveries.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1))
    ;[deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!]
  }
  return deliveries
}

export async function deliverAll(events: StripeEvent[]): Promise<void> {
  for (const event of events) await delivered(event)
}

/** What the editors see of a life, without the ids that differ from one replay to the next. */
export async function observe(life: CheckoutSubscriber, emails: string[], payments: number) {
  const found: SupporterItem[] = []
  for (const email of emails) {
    const supporter = await supporterOf(email)
    if (supporter) found.push(supporter)
  }
  const listed = []
  for (let n = 0; n < payments; n += 1) {
    const payment = await paymentOf(life.payment(n).invoice)
    if (!payment) {
      listed.push(null)
      continue
    }
    const { id, supporter_id, ...rest } = payment
    expect(id).toBe(life.payment(n).invoice)
    const owner = found.find((supporter) => supporter.id === supporter_id)
    listed.push({ ...rest, owner: owner ? emails.indexOf(owner.email) : null })
  }
  return {
    supporters: found.map(({ id, email, ...rest }) => ({
      email: emails.indexOf(email),
      ...rest,
    })),
    payments: listed,
  }
}

/**
 * Delivers a life in Stripe's order, then `replays` fresh copies of it shuffled and with
 * repeats, and expects every replay to end where the ordered delivery ended. Returns that state.
 */
export async function expectSameEndInAnyOrder(
  make: () => { life: CheckoutSubscriber; events: StripeEvent[]; emails: string[] },
  payments: number,
  seeds: number[],
) {
  const ordered = make()
  await deliverAll(ordered.events)
  const expected = await observe(ordered.life, ordered.emails, payments)
  for (const seed of seeds) {
    const replay = make()
    await deliverAll(shuffledWithRepeats(replay.events, seed))
    expect(await observe(replay.life, replay.emails, payments), `seed ${seed}`).toEqual(expected)
  }
  return expected
}
