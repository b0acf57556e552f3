import { describe, expect, it } from 'vitest'
import { csvCell, csvLine } from '../../src/support/csv'
import {
  EventEnvelopeSchema,
  interpretEvent,
  keyMode,
  PayloadError,
  type EventEnvelope,
} from '../../src/support/events'
import { DISPUTE_STAGES, REFUND_STAGES, SUBSCRIPTION_STAGES } from '../../src/support/effects'
import { checkoutParams } from '../../src/support/stripe'
import { stripeEvent, stripeId } from '../helpers/stripe'
import { giver, subscriber } from '../helpers/supporters'

const envelope = (event: object): EventEnvelope => EventEnvelopeSchema.parse(event)

describe('keyMode', () => {
  it.each([
    ['sk_live_abc', 'live'],
    ['rk_live_abc', 'live'],
    ['sk_test_abc', 'test'],
    ['rk_test_abc', 'test'],
    ['pk_live_abc', 'test'],
  ])('reads %s as %s mode', (key, mode) => {
    expect(keyMode(key)).toBe(mode)
  })
})

describe('interpretEvent', () => {
  it('reads a paid subscription checkout: who, which customer and subscription, which tier', () => {
    const reader = subscriber({
      email: 'Ada@Example.ORG',
      tierId: 'tier_espresso',
      amount: 700,
      currency: 'EUR',
    })
    expect(interpretEvent(envelope(reader.completed()), 'test')).toMatchObject({
      kind: 'checkout',
      email: 'ada@example.org',
      name: 'Ada Reader',
      customerId: reader.customer,
      mode: 'subscription',
      subscriptionId: reader.subscription,
      tierId: 'tier_espresso',
      amount: 700,
      currency: 'eur',
      outcome: 'paid',
    })
  })

  it('reads the outcome of a delayed payment from the event type', () => {
    const reader = giver()
    expect(interpretEvent(envelope(reader.completedUnpaid()), 'test')).toMatchObject({
      outcome: 'unpaid',
      paymentId: reader.paymentIntent,
    })
    expect(interpretEvent(envelope(reader.asyncSucceeded()), 'test')).toMatchObject({
      outcome: 'paid',
    })
    expect(interpretEvent(envelope(reader.asyncFailed()), 'test')).toMatchObject({
      outcome: 'failed',
    })
  })

  it('reads a subscription’s amount, interval and period from its items', () => {
    const reader = subscriber({ amount: 1_200, interval: 'year', currency: 'gbp' })
    const event = reader.state('updated', 'past_due')
    expect(interpretEvent(envelope(event), 'test')).toMatchObject({
      kind: 'subscription',
      marked: true,
      id: reader.subscription,
      customerId: reader.customer,
      status: 'past_due',
      amount: 1_200,
      currency: 'gbp',
      interval: 'year',
      currentPeriodEnd: new Date(
        event.data.object.items.data[0]!.current_period_end * 1000,
      ).toISOString(),
      eventCreated: event.created,
    })
  })

  it('reaches an invoice’s subscription and metadata through its parent', () => {
    const reader = subscriber()
    const event = reader.invoice(false)
    expect(interpretEvent(envelope(event), 'test')).toMatchObject({
      kind: 'invoice',
      marked: true,
      id: event.data.object.id,
      subscriptionId: reader.subscription,
      email: reader.email,
      amount: reader.amount,
      paid: false,
    })
    expect(interpretEvent(envelope(reader.invoice(true, { metadata: {} })), 'test')).toMatchObject({
      kind: 'invoice',
      marked: false,
    })
  })

  it('links an invoice to the payment intent that paid it', () => {
    const reader = subscriber()
    const intent = stripeId('pi')
    expect(interpretEvent(envelope(reader.invoicePayment('in_1', intent)), 'test')).toEqual({
      kind: 'invoice_payment',
      invoiceId: 'in_1',
      paymentIntentId: intent,
    })
  })

  it('reads a charge’s cumulative refund with the time of its event', () => {
    const reader = giver()
    const event = reader.refunded(700)
    expect(interpretEvent(envelope(event), 'test')).toEqual({
      kind: 'charge_refund',
      chargeId: reader.chargeId,
      paymentIntentId: reader.paymentIntent,
      amountRefunded: 700,
      eventCreated: event.created,
    })
  })

  it('reads every refund event as one refund at its state, and how far along that state is', () => {
    const reader = giver()
    for (const type of [
      'refund.created',
      'refund.updated',
      'refund.failed',
      'charge.refund.updated',
    ] as const) {
      const event = stripeEvent(type, {
        id: 're_1',
        object: 'refund',
        amount: 300,
        charge: reader.chargeId,
        payment_intent: reader.paymentIntent,
        status: 'failed',
      })
      expect(interpretEvent(envelope(event), 'test')).toEqual({
        kind: 'refund',
        id: 're_1',
        chargeId: reader.chargeId,
        paymentIntentId: reader.paymentIntent,
        amount: 300,
        status: 'failed',
        stage: REFUND_STAGES.known.failed,
        eventCreated: event.created,
      })
    }
    expect(REFUND_STAGES.known.pending).toBeLessThan(REFUND_STAGES.known.succeeded!)
    expect(REFUND_STAGES.known.succeeded).toBeLessThan(REFUND_STAGES.known.failed!)
  })

  it('reads disputes with Stripe’s status, and which events move their money', () => {
    const reader = giver()
    expect(
      interpretEvent(envelope(reader.dispute('created', 'warning_needs_response')), 'test'),
    ).toMatchObject({
      kind: 'dispute',
      chargeId: reader.chargeId,
      status: 'warning_needs_response',
      fundsWithdrawn: false,
      fundsReinstated: false,
    })
    expect(interpretEvent(envelope(reader.dispute('closed', 'lost')), 'test')).toMatchObject({
      status: 'lost',
      stage: DISPUTE_STAGES.known.lost,
      amount: reader.amount,
    })
    const withdrawn = stripeEvent(
      'charge.dispute.funds_withdrawn',
      reader.dispute('created', 'needs_response').data.object,
    )
    expect(interpretEvent(envelope(withdrawn), 'test')).toMatchObject({
      fundsWithdrawn: true,
      fundsReinstated: false,
    })
    const reinstated = stripeEvent(
      'charge.dispute.funds_reinstated',
      reader.dispute('closed', 'won').data.object,
    )
    expect(interpretEvent(envelope(reinstated), 'test')).toMatchObject({
      fundsWithdrawn: false,
      fundsReinstated: true,
    })
  })

  it('reads a customer’s email case-folded and their name, for the supporter to follow', () => {
    const event = stripeEvent('customer.updated', {
      id: 'cus_1',
      object: 'customer',
      email: ' New@Example.ORG ',
      name: ' Ada \u202eByron\u0000 ',
    })
    expect(interpretEvent(envelope(event), 'test')).toEqual({
      kind: 'customer',
      customerId: 'cus_1',
      email: 'new@example.org',
      name: 'Ada Byron',
      eventCreated: event.created,
    })
  })

  it('ranks a subscription’s states along its life, so the same second settles the same way', () => {
    const order = ['incomplete', 'trialing', 'active', 'past_due', 'unpaid', 'canceled']
    const stages = order.map((status) => SUBSCRIPTION_STAGES.known[status]!)
    expect([...stages].sort((a, b) => a - b)).toEqual(stages)
    expect(new Set(stages).size).toBe(order.length)
  })

  it('reads when a subscription is set to end: cancel_at, or the period end, never once ended', () => {
    const reader = subscriber()
    const event = reader.state('updated', 'active')
    const periodEnd = event.data.object.items.data[0]!.current_period_end
    const read = (changes: object, status = 'active') =>
      interpretEvent(
        envelope({ ...event, data: { object: { ...event.data.object, status, ...changes } } }),
        'test',
      )
    expect(read({})).toMatchObject({ cancelAt: null })
    expect(read({ cancel_at_period_end: true })).toMatchObject({
      cancelAt: new Date(periodEnd * 1000).toISOString(),
    })
    expect(read({ cancel_at: 1_900_000_000 })).toMatchObject({
      cancelAt: new Date(1_900_000_000_000).toISOString(),
    })
    expect(read({ cancel_at: 1_900_000_000 }, 'canceled')).toMatchObject({ cancelAt: null })
  })

  it('ignores the other mode, unknown types, foreign checkouts and invoices of no subscription', () => {
    const reader = giver()
    expect(interpretEvent(envelope(reader.completed()), 'live')).toEqual({
      kind: 'ignore',
      reason: 'livemode',
    })
    expect(interpretEvent(envelope(reader.completed({ livemode: true })), 'test')).toEqual({
      kind: 'ignore',
      reason: 'livemode',
    })
    expect(interpretEvent(envelope(stripeEvent('payout.paid', { id: 'po_1' })), 'test')).toEqual({
      kind: 'ignore',
      reason: 'unknown_type',
    })
    const foreign = reader.completed()
    foreign.data.object.metadata = { readerdesk: '0' }
    expect(interpretEvent(envelope(foreign), 'test')).toEqual({ kind: 'ignore', reason: 'foreign' })
    const oneOff = subscriber().invoice(true)
    const orphan = { ...oneOff, data: { object: { ...oneOff.data.object, parent: null } } }
    expect(interpretEvent(envelope(orphan), 'test')).toEqual({ kind: 'ignore', reason: 'foreign' })
  })

  it('ignores someone else’s checkout session whatever its shape', () => {
    const odd = envelope(
      stripeEvent('checkout.session.completed', { id: 'cs_1', metadata: { shop: '1' } }),
    )
    expect(interpretEvent(odd, 'test')).toEqual({ kind: 'ignore', reason: 'foreign' })
  })

  it('throws a PayloadError for a handled event without the fields it needs', () => {
    const broken = envelope(stripeEvent('charge.refunded', { id: 'ch_1', payment_intent: 'pi_1' }))
    expect(() => interpretEvent(broken, 'test')).toThrow(PayloadError)
  })
})

describe('checkoutParams', () => {
  const urls = { successUrl: 'https://news.example/thanks', cancelUrl: undefined }

  it('prices a gift inline and marks its payment intent, never naming a Stripe price', () => {
    const params = checkoutParams(
      {
        name: 'One-time support',
        description: '',
        amount: 1_000,
        currency: 'usd',
        interval: 'once',
        tierId: null,
      },
      urls,
      undefined,
    )
    expect(params).toEqual({
      mode: 'payment',
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: 'usd',
            unit_amount: 1_000,
            product_data: { name: 'One-time support' },
          },
        },
      ],
      success_url: 'https://news.example/thanks',
      metadata: { readerdesk: '1', readerdesk_interval: 'once' },
      payment_intent_data: { metadata: { readerdesk: '1', readerdesk_interval: 'once' } },
      customer_creation: 'always',
      submit_type: 'donate',
    })
  })

  it('marks a tier’s subscription with the tier', () => {
    const params = checkoutParams(
      {
        name: 'Espresso',
        description: 'Night desk',
        amount: 700,
        currency: 'eur',
        interval: 'month',
        tierId: 'tier_1',
      },
      { ...urls, cancelUrl: 'https://news.example/support' },
      'ada@example.org',
    )
    expect(params).toMatchObject({
      mode: 'subscription',
      customer_email: 'ada@example.org',
      cancel_url: 'https://news.example/support',
      subscription_data: {
        metadata: { readerdesk: '1', readerdesk_interval: 'month', readerdesk_tier: 'tier_1' },
      },
    })
    expect(params.line_items?.[0]?.price_data?.recurring).toEqual({ interval: 'month' })
    expect(params.line_items?.[0]?.price).toBeUndefined()
  })
})

describe('CSV cells', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', '"\'\rx"'],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['', ''],
    ['  =1+1', "'  =1+1"],
    ['Cy;=1+1;z', "Cy;'=1+1;z"],
    ['a\t-b', "a\t'-b"],
    ['\t=x', "'\t'=x"],
    ['x; @y', "x;' @y"],
    ['x;"=1', '"x;\'""=1"'],
    ['a;b\tc', 'a;b\tc'],
  ])('writes %j as %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell)
  })

  it('writes numbers as they are and null as an empty cell', () => {
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell(1500)).toBe('1500')
    expect(csvCell(null)).toBe('')
  })

  it('ends every line, the last one too, with CRLF', () => {
    expect(csvLine(['1', null]) + csvLine(['=x', 2])).toBe("1,\r\n'=x,2\r\n")
  })
})
