import { describe, expect, it, vi } from 'vitest'
import { env, expectProblem } from '../helpers/http'
import {
  API_VERSION,
  charge,
  checkoutSession,
  deliver,
  delivered,
  invoice,
  postWebhook,
  signature,
  stripeEvent,
  stripeId,
  subscription,
  tick,
} from '../helpers/stripe'
import {
  giver,
  paymentOf,
  publicStats,
  subscriber,
  supporterOf,
  uniqueEmail,
} from '../helpers/supporters'

const TABLES = [
  'supporters',
  'support_customers',
  'support_subscriptions',
  'support_payments',
  'support_invoice_payments',
  'support_charges',
  'support_refunds',
  'support_disputes',
  'support_customer_profiles',
  'support_events',
] as const

/** Row counts of every supporters table, to show that something changed nothing. */
async function snapshot(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of TABLES) {
    counts[table] =
      (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0
  }
  return counts
}

async function outcomeOf(response: Response): Promise<string> {
  expect(response.status).toBe(200)
  const body = (await response.json()) as { received: boolean; outcome: string }
  expect(body.received).toBe(true)
  return body.outcome
}

describe('the webhook signature', () => {
  it('accepts an event signed with the endpoint secret', async () => {
    const reader = giver()
    expect(await outcomeOf(await deliver(reader.completed()))).toBe('applied')
    expect((await supporterOf(reader.email))?.status).toBe('one_time')
  })

  it.each([
    ['no Stripe-Signature header', async () => null],
    [
      'a signature made with another secret',
      async (body: string) => signature(body, { secret: 'whsec_someone_else' }),
    ],
    [
      'a signature older than five minutes',
      async (body: string) => signature(body, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
    ],
    [
      'a signature dated more than five minutes ahead',
      async (body: string) => signature(body, { timestamp: Math.floor(Date.now() / 1000) + 301 }),
    ],
    [
      'a header with a second timestamp far ahead',
      async (body: string) => `${await signature(body)},t=${Math.floor(Date.now() / 1000) + 3_600}`,
    ],
    ['a header without a v1 signature', async () => `t=${Math.floor(Date.now() / 1000)},v0=abc`],
    ['a header that is not Stripe’s format', async () => 'sha256=deadbeef'],
    ['a signature of another body', async () => signature('{"id":"evt_other"}')],
  ])('answers 400 signature_invalid to %s and changes nothing', async (_, header) => {
    const event = giver().completed()
    const body = JSON.stringify(event)
    const before = await snapshot()
    await expectProblem(
      await postWebhook(body, { signature: await header(body) }),
      400,
      'signature_invalid',
    )
    expect(await snapshot()).toEqual(before)
  })

  it('accepts a signature just inside the five-minute tolerance', async () => {
    const body = JSON.stringify(giver().completed())
    const header = await signature(body, { timestamp: Math.floor(Date.now() / 1000) - 290 })
    expect(await outcomeOf(await postWebhook(body, { signature: header }))).toBe('applied')
  })

  it('accepts a signature dated a little ahead, as a clock a few minutes fast would date it', async () => {
    const body = JSON.stringify(giver().completed())
    const header = await signature(body, { timestamp: Math.floor(Date.now() / 1000) + 240 })
    expect(await outcomeOf(await postWebhook(body, { signature: header }))).toBe('applied')
  })

  it('refuses a body changed after signing, even by one space', async () => {
    const body = JSON.stringify(giver().completed())
    const header = await signature(body)
    await expectProblem(
      await postWebhook(`${body} `, { signature: header }),
      400,
      'signature_invalid',
    )
  })
})

describe('webhook configuration and bodies', () => {
  it('answers 503 not_configured without STRIPE_WEBHOOK_SECRET, however the event is signed', async () => {
    const before = await snapshot()
    const response = await deliver(giver().completed(), {
      env: { STRIPE_WEBHOOK_SECRET: undefined },
    })
    await expectProblem(response, 503, 'not_configured')
    expect(await snapshot()).toEqual(before)
  })

  it('answers 503 not_configured without STRIPE_SECRET_KEY, whose prefix tells the mode', async () => {
    const before = await snapshot()
    await expectProblem(
      await deliver(giver().completed(), { env: { STRIPE_SECRET_KEY: undefined } }),
      503,
      'not_configured',
    )
    expect(await snapshot()).toEqual(before)
  })

  it.each([
    ['text that is not JSON', 'this is not json'],
    ['truncated JSON', '{"id": "evt_1", "object": "event", '],
    ['JSON that is not an event', '[1, 2, 3]'],
    [
      'an event without a type',
      JSON.stringify({
        id: 'evt_1',
        object: 'event',
        created: 1,
        livemode: false,
        data: { object: {} },
      }),
    ],
    [
      'an event whose data is not an object',
      JSON.stringify({
        id: 'evt_1',
        object: 'event',
        type: 'charge.refunded',
        created: 1,
        livemode: false,
        data: { object: 'ch_1' },
      }),
    ],
  ])('answers 400 validation_failed to signed %s, changing nothing', async (_, body) => {
    const before = await snapshot()
    await expectProblem(await postWebhook(body), 400, 'validation_failed')
    expect(await snapshot()).toEqual(before)
  })

  it('answers 400 validation_failed to a handled event that lacks what we rely on', async () => {
    const broken = stripeEvent('customer.subscription.updated', {
      id: stripeId('sub'),
      object: 'subscription',
      status: 'active',
    })
    const before = await snapshot()
    const problem = await expectProblem(await deliver(broken), 400, 'validation_failed')
    expect(problem.errors?.[0]?.path).toBe('data.object')
    expect(await snapshot()).toEqual(before)
  })

  it('answers 415 to a body that is not JSON by media type', async () => {
    await expectProblem(
      await postWebhook(JSON.stringify(giver().completed()), { contentType: 'text/plain' }),
      415,
      'unsupported_media_type',
    )
  })

  it('takes bodies up to 1 MiB and answers 413 beyond', async () => {
    const reader = giver()
    const padded = stripeEvent('checkout.session.completed', {
      ...reader.completed().data.object,
      padding: 'x'.repeat(200_000),
    })
    expect(await outcomeOf(await deliver(padded))).toBe('applied')
    const huge = stripeEvent('checkout.session.completed', {
      ...reader.completed().data.object,
      padding: 'x'.repeat(1_100_000),
    })
    await expectProblem(await deliver(huge), 413, 'payload_too_large')
  })
})

describe('events that are acknowledged and ignored', () => {
  it('ignores an event of the other mode: live events under a test key', async () => {
    const reader = giver()
    const before = await snapshot()
    expect(await outcomeOf(await deliver(reader.completed({ livemode: true })))).toBe('ignored')
    expect(await snapshot()).toEqual(before)
    expect(await supporterOf(reader.email)).toBeNull()
  })

  it.each([
    ['sk_live_', 'sk_live_readerdesk0000000000000000'],
    ['rk_live_', 'rk_live_readerdesk0000000000000000'],
  ])('takes a %s key as live mode: test events ignored, live ones applied', async (_, key) => {
    const reader = giver()
    expect(
      await outcomeOf(await deliver(reader.completed(), { env: { STRIPE_SECRET_KEY: key } })),
    ).toBe('ignored')
    expect(
      await outcomeOf(
        await deliver(reader.completed({ livemode: true }), { env: { STRIPE_SECRET_KEY: key } }),
      ),
    ).toBe('applied')
    expect((await supporterOf(reader.email))?.status).toBe('one_time')
  })

  it('ignores event types it does not handle', async () => {
    const before = await snapshot()
    const event = stripeEvent('customer.created', {
      id: stripeId('cus'),
      object: 'customer',
      email: uniqueEmail(),
    })
    expect(await outcomeOf(await deliver(event))).toBe('ignored')
    expect(await outcomeOf(await deliver(stripeEvent('invoice.upcoming', {})))).toBe('ignored')
    expect(await snapshot()).toEqual(before)
  })

  it('ignores a checkout session someone else created on the same account', async () => {
    const email = uniqueEmail('shop-customer')
    const session = checkoutSession({
      mode: 'payment',
      email,
      customer: stripeId('cus'),
      paymentIntent: stripeId('pi'),
      amount: 4_200,
      currency: 'usd',
      paymentStatus: 'paid',
      metadata: { order: '1234' },
    })
    const before = await snapshot()
    expect(await outcomeOf(await deliver(stripeEvent('checkout.session.completed', session)))).toBe(
      'ignored',
    )
    expect(await snapshot()).toEqual(before)
    expect(await supporterOf(email)).toBeNull()
  })

  it('ignores subscriptions and invoices that are not ours and linked to nothing of ours', async () => {
    const customer = stripeId('cus')
    const sub = stripeId('sub')
    const email = uniqueEmail('other-product')
    const state = subscription({
      id: sub,
      customer,
      status: 'active',
      amount: 1_500,
      currency: 'usd',
      interval: 'month',
      startDate: tick(),
      periodEnd: tick() + 30 * 86_400,
      metadata: {},
    })
    const bill = invoice({
      id: stripeId('in'),
      customer,
      email,
      subscription: sub,
      amount: 1_500,
      currency: 'usd',
      paid: true,
      metadata: {},
    })
    const statsBefore = await publicStats()
    const before = await snapshot()
    expect(
      await outcomeOf(await deliver(stripeEvent('customer.subscription.created', state))),
    ).toBe('ignored')
    expect(await outcomeOf(await deliver(stripeEvent('invoice.paid', bill)))).toBe('ignored')
    expect(await snapshot()).toEqual(before)
    const rows = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM support_subscriptions WHERE id = ?1) + (SELECT count(*) FROM support_payments WHERE subscription_id = ?1)
         + (SELECT count(*) FROM supporters WHERE email = ?2) + (SELECT count(*) FROM support_customers WHERE id = ?3) AS n`,
    )
      .bind(sub, email, customer)
      .first<{ n: number }>()
    expect(rows?.n).toBe(0)
    expect(await publicStats()).toEqual(statsBefore)
  })

  it('lets refunds of charges that are not ours change no payment and no figure', async () => {
    const reader = giver()
    await delivered(reader.completed())
    const statsBefore = await publicStats()
    const foreign = charge({
      id: stripeId('ch'),
      paymentIntent: stripeId('pi'),
      customer: stripeId('cus'),
      amount: 9_900,
      amountRefunded: 9_900,
      currency: 'eur',
    })
    await delivered(stripeEvent('charge.refunded', foreign))
    expect(await publicStats()).toEqual(statsBefore)
    expect((await paymentOf(reader.paymentIntent))?.status).toBe('paid')
    expect(await paymentOf(foreign.payment_intent)).toBeNull()
  })
})

describe('events the webhook refuses so that Stripe shows them and retries', () => {
  it('refuses an event of another API version with 400 api_version_mismatch, logs it and stores nothing', async () => {
    const reader = subscriber()
    await delivered(reader.completed())
    // invoice.paid as an endpoint pinned to 2024-06-20 sends it: the subscription at the top level.
    const { parent, ...older } = reader.invoice(true).data.object
    expect(parent.subscription_details.subscription).toBe(reader.subscription)
    const event = {
      ...reader.invoice(true),
      api_version: '2024-06-20',
      data: { object: { ...older, subscription: reader.subscription } },
    }
    const warnings = vi.spyOn(console, 'warn')
    const before = await snapshot()
    const problem = await expectProblem(await deliver(event), 400, 'api_version_mismatch')
    expect(problem.detail).toContain(API_VERSION)
    expect(await snapshot()).toEqual(before)
    const logged = warnings.mock.calls.map(([line]) => String(line))
    warnings.mockRestore()
    expect(logged.some((line) => line.includes(event.id) && line.includes('2024-06-20'))).toBe(true)
    // Once the endpoint is on the right version, Stripe's retry of the same event is applied.
    const retried = { ...reader.invoice(true), id: event.id }
    expect(await outcomeOf(await deliver(retried))).toBe('applied')
  })

  it('refuses an event without an API version', async () => {
    const { api_version, ...unversioned } = giver().completed()
    expect(api_version).toBe(API_VERSION)
    const before = await snapshot()
    await expectProblem(await postWebhook(JSON.stringify(unversioned)), 400, 'api_version_mismatch')
    expect(await snapshot()).toEqual(before)
  })

  it.each([
    [
      'a checkout created at 2^53 − 1 seconds',
      () => {
        const event = giver().completed()
        event.data.object.created = Number.MAX_SAFE_INTEGER
        return event
      },
    ],
    [
      'a subscription that starts in the year 31 690',
      () => {
        const event = subscriber().state('created', 'active')
        event.data.object.start_date = 1e15
        return event
      },
    ],
    [
      'a checkout with a negative total',
      () => {
        const event = giver().completed()
        event.data.object.amount_total = -2_500
        return event
      },
    ],
    [
      'a refund of a negative amount',
      () => {
        const event = giver().refunded(0)
        event.data.object.amount_refunded = -1
        return event
      },
    ],
    [
      'a subscription whose amount is beyond exact integers',
      () => {
        const event = subscriber().state('created', 'active')
        event.data.object.items.data[0]!.price.unit_amount = Number.MAX_SAFE_INTEGER
        event.data.object.items.data[0]!.quantity = 3
        return event
      },
    ],
    ['an event created before 1970', () => giver().completed({ created: -1 })],
  ])('answers 400 validation_failed, never 5xx, to %s, and changes nothing', async (_, make) => {
    const before = await snapshot()
    const problem = await expectProblem(await deliver(make()), 400, 'validation_failed')
    expect(problem.errors?.length).toBeGreaterThan(0)
    expect(await snapshot()).toEqual(before)
  })
})

describe('each event takes effect once', () => {
  it('answers a repeated delivery 200 and changes nothing', async () => {
    const reader = subscriber()
    await delivered(reader.completed())
    await delivered(reader.state('created', 'active'))
    const paid = reader.invoice(true)
    expect(await outcomeOf(await deliver(paid))).toBe('applied')
    const once = await supporterOf(reader.email)
    expect(once?.lifetime_amount).toBe(reader.amount)
    const before = await snapshot()
    expect(await outcomeOf(await deliver(paid))).toBe('duplicate')
    expect(await outcomeOf(await deliver(paid))).toBe('duplicate')
    expect(await snapshot()).toEqual(before)
    expect(await supporterOf(reader.email)).toEqual(once)
  })

  it('applies an event delivered 10 times at once exactly once', async () => {
    const reader = giver()
    const event = reader.completed()
    const before = await snapshot()
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(event)))
    const outcomes = await Promise.all(answers.map(outcomeOf))
    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(9)
    const after = await snapshot()
    expect(after.supporters).toBe((before.supporters ?? 0) + 1)
    expect(after.support_payments).toBe((before.support_payments ?? 0) + 1)
    expect(after.support_events).toBe((before.support_events ?? 0) + 1)
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(reader.amount)
  })

  it('keeps a repeated refund from lowering the total twice', async () => {
    const reader = giver({ amount: 3_000 })
    await delivered(reader.completed())
    const refund = reader.refunded(1_000)
    await delivered(refund)
    await delivered(refund)
    await delivered({ ...reader.refunded(1_000) })
    expect((await supporterOf(reader.email))?.lifetime_amount).toBe(2_000)
  })
})

/** A D1 binding that fails the way D1 does, to show a failed event leaves nothing behind. */
function failingDb(failure: 'network' | 'mid-batch'): D1Database {
  return new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          if (failure === 'network') throw new Error('D1_ERROR: Network connection lost.')
          // Every statement of the event runs, then the last one fails inside D1 itself.
          return target.batch([
            ...statements,
            target.prepare('INSERT INTO support_events (id) VALUES (NULL)'),
          ])
        }
      }
      const value = Reflect.get(target, property) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

describe('a database failure while an event is applied', () => {
  it.each(['network', 'mid-batch'] as const)(
    'answers 5xx after a %s failure, leaves nothing half-written, and the redelivery applies it once',
    async (failure) => {
      const reader = subscriber()
      await delivered(reader.completed())
      await delivered(reader.state('created', 'active'))
      const paid = reader.invoice(true)
      const before = await snapshot()
      const supporterBefore = await supporterOf(reader.email)
      const response = await deliver(paid, { env: { DB: failingDb(failure) } })
      expect(response.status).toBeGreaterThanOrEqual(500)
      const problem = await expectProblem(response, 500, 'internal')
      expect(problem.detail).not.toMatch(/D1|NOT NULL|Network/)
      expect(await snapshot()).toEqual(before)
      expect(await supporterOf(reader.email)).toEqual(supporterBefore)
      expect(await outcomeOf(await deliver(paid))).toBe('applied')
      expect(await outcomeOf(await deliver(paid))).toBe('duplicate')
      expect((await supporterOf(reader.email))?.lifetime_amount).toBe(reader.amount)
      expect((await snapshot()).support_payments).toBe((before.support_payments ?? 0) + 1)
    },
  )
})

describe('the webhook needs no Stripe API', () => {
  it('applies events without calling Stripe, even with an unreachable API base', async () => {
    const reader = subscriber()
    const unreachable = { STRIPE_API_BASE: 'http://127.0.0.1:9' }
    for (const event of [
      reader.completed(),
      reader.state('created', 'active'),
      reader.invoice(true),
    ]) {
      expect(await outcomeOf(await deliver(event, { env: unreachable }))).toBe('applied')
    }
    expect((await supporterOf(reader.email))?.status).toBe('active')
  })
})
