import { beforeEach, describe, expect, it, vi } from 'vitest'
import { STRIPE_REFUSED_EMAIL, STRIPE_SECRET_KEY } from '../helpers/fakes'
import { ADMIN, call, env, expectProblem, SITE } from '../helpers/http'
import { clearStripeRequests, stripeRequests as stripeCalls } from '../helpers/stripe'

// Only this file creates checkouts, so every call the fake Stripe API records is one of ours.

/** The one Checkout Session request a checkout made, its form fields decoded. */
async function theSessionRequest() {
  const calls = await stripeCalls()
  expect(calls).toHaveLength(1)
  const request = calls[0]!
  expect(request.method).toBe('POST')
  expect(request.path).toBe('/v1/checkout/sessions')
  return { headers: request.headers, form: Object.fromEntries(new URLSearchParams(request.body)) }
}

const checkout = (json: unknown, options: Parameters<typeof call>[1] = {}) =>
  call('/v1/checkout', { json, ...options })

async function createTier(fields: Record<string, unknown>): Promise<{ id: string }> {
  const response = await call('/v1/admin/tiers', {
    json: fields,
    headers: { authorization: ADMIN },
  })
  expect(response.status).toBe(201)
  return response.json()
}

async function hits(): Promise<number> {
  return (
    (
      await env.DB.prepare(
        "SELECT count(*) AS n FROM rate_limit_hits WHERE bucket LIKE 'checkout:%'",
      ).first<{ n: number }>()
    )?.n ?? 0
  )
}

beforeEach(clearStripeRequests)

describe('POST /v1/checkout for a custom amount', () => {
  it('starts a monthly subscription priced inline, marked as ours on the session and the subscription', async () => {
    const response = await checkout({
      amount: 500,
      currency: 'usd',
      interval: 'month',
      email: 'Ada@Example.org',
    })
    expect(response.status).toBe(201)
    const body = (await response.json()) as { id: string; url: string }
    expect(body).toEqual({
      id: expect.stringMatching(/^cs_test_/),
      url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/),
    })
    const { headers, form } = await theSessionRequest()
    expect(form).toEqual({
      mode: 'subscription',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '500',
      'line_items[0][price_data][recurring][interval]': 'month',
      'line_items[0][price_data][product_data][name]': 'Monthly support',
      success_url: 'https://news.example/support/thanks',
      cancel_url: 'https://news.example/support',
      customer_email: 'Ada@Example.org',
      'metadata[readerdesk]': '1',
      'metadata[readerdesk_interval]': 'month',
      'subscription_data[metadata][readerdesk]': '1',
      'subscription_data[metadata][readerdesk_interval]': 'month',
    })
    expect(headers.authorization).toBe(`Bearer ${STRIPE_SECRET_KEY}`)
    expect(headers['stripe-version']).toBe('2026-10-28.endive')
    expect(headers['idempotency-key']).toMatch(/^readerdesk-checkout-[\w-]{20,}$/)
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded')
  })

  it('makes a one-time gift a payment, marked on its payment intent', async () => {
    expect((await checkout({ amount: 2500, currency: 'EUR', interval: 'once' })).status).toBe(201)
    const { form } = await theSessionRequest()
    expect(form).toMatchObject({
      mode: 'payment',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '2500',
      'line_items[0][price_data][product_data][name]': 'One-time support',
      'payment_intent_data[metadata][readerdesk]': '1',
      'payment_intent_data[metadata][readerdesk_interval]': 'once',
      'metadata[readerdesk]': '1',
      customer_creation: 'always',
      submit_type: 'donate',
    })
    expect(Object.keys(form).some((name) => name.includes('recurring'))).toBe(false)
    expect(Object.keys(form).some((name) => name.startsWith('subscription_data'))).toBe(false)
  })

  it('treats an amount without interval as a one-time gift', async () => {
    expect((await checkout({ amount: 100, currency: 'gbp' })).status).toBe(201)
    expect((await theSessionRequest()).form.mode).toBe('payment')
  })

  it('starts a yearly subscription', async () => {
    expect((await checkout({ amount: 6000, currency: 'usd', interval: 'year' })).status).toBe(201)
    const { form } = await theSessionRequest()
    expect(form).toMatchObject({
      mode: 'subscription',
      'line_items[0][price_data][recurring][interval]': 'year',
    })
  })

  it('accepts the currencies of SUPPORT_CURRENCIES, zero-decimal ones as they are', async () => {
    const response = await checkout(
      { amount: 500, currency: 'jpy', interval: 'month' },
      { env: { SUPPORT_CURRENCIES: 'usd, JPY' } },
    )
    expect(response.status).toBe(201)
    const { form } = await theSessionRequest()
    expect(form).toMatchObject({
      'line_items[0][price_data][currency]': 'jpy',
      'line_items[0][price_data][unit_amount]': '500',
    })
  })

  it('uses return URLs on an allowed origin when given', async () => {
    const response = await checkout({
      amount: 500,
      currency: 'usd',
      success_url: 'https://www.news.example/thanks?from=article',
      cancel_url: 'https://www.news.example/support',
    })
    expect(response.status).toBe(201)
    expect((await theSessionRequest()).form).toMatchObject({
      success_url: 'https://www.news.example/thanks?from=article',
      cancel_url: 'https://www.news.example/support',
    })
  })

  it.each([
    [
      'a backslash before @',
      'https://news.example\\@evil.example/thanks',
      'https://news.example/@evil.example/thanks',
    ],
    ['a tab in the host', 'https://news.ex\tample/thanks', 'https://news.example/thanks'],
    ['a newline in the path', 'https://news.example/tha\nnks', 'https://news.example/thanks'],
    [
      'an upper-case host and default port',
      'HTTPS://NEWS.EXAMPLE:443/Thanks',
      'https://news.example/Thanks',
    ],
  ])('forwards a return URL with %s as the URL parser read it', async (_, given, forwarded) => {
    const response = await checkout({
      amount: 500,
      currency: 'usd',
      success_url: given,
      cancel_url: given,
    })
    expect(response.status).toBe(201)
    expect((await theSessionRequest()).form).toMatchObject({
      success_url: forwarded,
      cancel_url: forwarded,
    })
  })

  it('never forwards a price id or any other field the client adds', async () => {
    const response = await checkout({
      amount: 500,
      currency: 'usd',
      price: 'price_cheap',
      price_id: 'price_cheap',
      unit_amount: 1,
    })
    expect(response.status).toBe(201)
    const { form } = await theSessionRequest()
    expect(JSON.stringify(form)).not.toContain('price_cheap')
    expect(Object.keys(form).some((name) => /\[price\]$/.test(name))).toBe(false)
    expect(form['line_items[0][price_data][unit_amount]']).toBe('500')
  })
})

describe('POST /v1/checkout for a tier', () => {
  it('prices the subscription from the tier and names the tier in the metadata', async () => {
    const tier = await createTier({
      name: 'Espresso',
      description: 'Fuel for the night desk',
      amount: 700,
      currency: 'eur',
      interval: 'year',
    })
    await clearStripeRequests()
    const response = await checkout({ tier_id: tier.id, email: 'ada@example.org' })
    expect(response.status).toBe(201)
    const { form } = await theSessionRequest()
    expect(form).toMatchObject({
      mode: 'subscription',
      'line_items[0][price_data][currency]': 'eur',
      'line_items[0][price_data][unit_amount]': '700',
      'line_items[0][price_data][recurring][interval]': 'year',
      'line_items[0][price_data][product_data][name]': 'Espresso',
      'line_items[0][price_data][product_data][description]': 'Fuel for the night desk',
      'metadata[readerdesk_tier]': tier.id,
      'subscription_data[metadata][readerdesk_tier]': tier.id,
      'subscription_data[metadata][readerdesk]': '1',
    })
  })

  it('sells a zero-decimal tier for exactly its amount', async () => {
    const tier = await createTier({ name: 'Kōhī', amount: 500, currency: 'jpy', interval: 'month' })
    await clearStripeRequests()
    expect((await checkout({ tier_id: tier.id })).status).toBe(201)
    expect((await theSessionRequest()).form).toMatchObject({
      'line_items[0][price_data][currency]': 'jpy',
      'line_items[0][price_data][unit_amount]': '500',
    })
  })

  it('answers 404 for an unknown or inactive tier, without calling Stripe', async () => {
    const tier = await createTier({
      name: 'Retired',
      amount: 300,
      currency: 'usd',
      interval: 'month',
    })
    await call(`/v1/admin/tiers/${tier.id}`, {
      method: 'PATCH',
      json: { active: false },
      headers: { authorization: ADMIN },
    })
    await clearStripeRequests()
    await expectProblem(await checkout({ tier_id: tier.id }), 404, 'not_found')
    await expectProblem(await checkout({ tier_id: 'tier_unknown' }), 404, 'not_found')
    expect(await stripeCalls()).toEqual([])
  })
})

describe('refused checkouts never reach Stripe', () => {
  it.each([
    ['an amount under 100', { amount: 99, currency: 'usd' }],
    ['an amount over 1 000 000', { amount: 1_000_001, currency: 'usd' }],
    ['a fractional amount', { amount: 500.5, currency: 'usd' }],
    ['an amount as a string', { amount: '500', currency: 'usd' }],
    ['a currency outside SUPPORT_CURRENCIES', { amount: 500, currency: 'jpy' }],
    ['a currency that is no code', { amount: 500, currency: 'euro' }],
    ['an amount without currency', { amount: 500 }],
    ['neither a tier nor an amount', { email: 'ada@example.org' }],
    ['both a tier and an amount', { tier_id: 'tier_x', amount: 500, currency: 'usd' }],
    ['an interval Checkout does not sell', { amount: 500, currency: 'usd', interval: 'week' }],
    ['a malformed email', { amount: 500, currency: 'usd', email: 'not-an-email' }],
    [
      'an over-long email',
      { amount: 500, currency: 'usd', email: `${'a'.repeat(250)}@example.org` },
    ],
    ['a success_url that is no URL', { amount: 500, currency: 'usd', success_url: 'thanks' }],
    [
      'a javascript: success_url',
      { amount: 500, currency: 'usd', success_url: 'javascript:alert(1)' },
    ],
    [
      'an over-long cancel_url',
      { amount: 500, currency: 'usd', cancel_url: `${SITE}/${'a'.repeat(2048)}` },
    ],
    ['a tier id of the wrong type', { tier_id: 42 }],
    ['a body that is an array', [{ amount: 500, currency: 'usd' }]],
  ])('400 for %s', async (_, body) => {
    const problem = await expectProblem(await checkout(body), 400, 'validation_failed')
    expect(problem.errors?.length).toBeGreaterThan(0)
    expect(await stripeCalls()).toEqual([])
  })

  it('400 for malformed JSON', async () => {
    const response = await call('/v1/checkout', {
      method: 'POST',
      body: '{"amount": 500,',
      headers: { 'content-type': 'application/json' },
    })
    await expectProblem(response, 400, 'validation_failed')
    expect(await stripeCalls()).toEqual([])
  })

  it('400 when no success_url is sent and none is configured', async () => {
    const problem = await expectProblem(
      await checkout({ amount: 500, currency: 'usd' }, { env: { SUPPORT_SUCCESS_URL: undefined } }),
      400,
      'validation_failed',
    )
    expect(problem.errors?.[0]?.path).toBe('success_url')
    expect(await stripeCalls()).toEqual([])
  })

  it('403 for a browser on a foreign site, before anything else', async () => {
    const response = await checkout(
      { amount: 'nonsense' },
      { headers: { origin: 'https://evil.example' } },
    )
    await expectProblem(response, 403, 'origin_not_allowed')
    expect(await stripeCalls()).toEqual([])
  })

  it('422 for return URLs off the allowed origins', async () => {
    for (const body of [
      { amount: 500, currency: 'usd', success_url: 'https://evil.example/thanks' },
      { amount: 500, currency: 'usd', cancel_url: 'https://news.example.evil.example/' },
    ]) {
      const problem = await expectProblem(await checkout(body), 422, 'origin_not_allowed')
      expect(problem.errors?.[0]?.message).toBe('not on an allowed origin')
    }
    expect(await stripeCalls()).toEqual([])
  })

  it('503 not_configured without STRIPE_SECRET_KEY', async () => {
    await expectProblem(
      await checkout({ amount: 500, currency: 'usd' }, { env: { STRIPE_SECRET_KEY: undefined } }),
      503,
      'not_configured',
    )
    expect(await stripeCalls()).toEqual([])
  })

  it('413 for a body over 64 KiB and 415 for another media type', async () => {
    const big = JSON.stringify({ amount: 500, currency: 'usd', email: 'x'.repeat(70_000) })
    await expectProblem(
      await call('/v1/checkout', {
        method: 'POST',
        body: big,
        headers: { 'content-type': 'application/json' },
      }),
      413,
      'payload_too_large',
    )
    await expectProblem(
      await call('/v1/checkout', {
        method: 'POST',
        body: '{"amount":500,"currency":"usd"}',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    )
    expect(await stripeCalls()).toEqual([])
  })

  it('does not count refused requests against the rate limit', async () => {
    const before = await hits()
    await checkout({ amount: 1, currency: 'usd' })
    await checkout({ amount: 500, currency: 'usd', success_url: 'https://evil.example/' })
    await checkout({ tier_id: 'tier_unknown' })
    expect(await hits()).toBe(before)
  })
})

describe('the per-IP rate limit on checkout', () => {
  const limit = (n: number) => ({ RATE_LIMIT_CHECKOUTS_PER_MINUTE: String(n) })

  it('answers 429 with Retry-After after the quota, before validating, and calls Stripe no more', async () => {
    const ip = '198.51.100.40'
    for (let i = 0; i < 2; i++) {
      expect((await checkout({ amount: 500, currency: 'usd' }, { ip, env: limit(2) })).status).toBe(
        201,
      )
    }
    await clearStripeRequests()
    const response = await checkout({ amount: 500, currency: 'usd' }, { ip, env: limit(2) })
    await expectProblem(response, 429, 'rate_limited')
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    await expectProblem(
      await checkout({ amount: 'bad' }, { ip, env: limit(2) }),
      429,
      'rate_limited',
    )
    expect(await stripeCalls()).toEqual([])
  })

  it('is exact under concurrency: 10 checkouts at once with a quota of 3 reach Stripe 3 times', async () => {
    const ip = '198.51.100.41'
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        checkout({ amount: 500, currency: 'usd' }, { ip, env: limit(3) }),
      ),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(3)
    expect(statuses.filter((status) => status === 429)).toHaveLength(7)
    expect(await stripeCalls()).toHaveLength(3)
  })

  it('counts checkouts apart from reports', async () => {
    const ip = '198.51.100.42'
    expect(
      (
        await checkout(
          { amount: 500, currency: 'usd' },
          { ip, env: { ...limit(1), RATE_LIMIT_REPORTS_PER_MINUTE: '1' } },
        )
      ).status,
    ).toBe(201)
    const report = await call('/v1/reports', {
      json: { url: `${SITE}/a`, quote: 'the words' },
      ip,
      env: { ...limit(1), RATE_LIMIT_REPORTS_PER_MINUTE: '1' },
    })
    expect(report.status).toBe(201)
  })

  it('is off with 0', async () => {
    const ip = '198.51.100.43'
    const before = await hits()
    for (let i = 0; i < 4; i++)
      expect((await checkout({ amount: 500, currency: 'usd' }, { ip, env: limit(0) })).status).toBe(
        201,
      )
    expect(await hits()).toBe(before)
  })
})

describe('Idempotency-Key on POST /v1/checkout', () => {
  it('answers a retry with the first session and calls Stripe once', async () => {
    const body = { amount: 500, currency: 'usd', interval: 'month' }
    const headers = { 'idempotency-key': 'checkout-retry-1' }
    const first = await checkout(body, { headers })
    const again = await checkout(body, { headers })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(await again.text()).toBe(await first.text())
    expect(await stripeCalls()).toHaveLength(1)
  })

  it('answers 409 to the same key with another body, without calling Stripe', async () => {
    const headers = { 'idempotency-key': 'checkout-retry-2' }
    expect((await checkout({ amount: 500, currency: 'usd' }, { headers })).status).toBe(201)
    await clearStripeRequests()
    await expectProblem(
      await checkout({ amount: 900, currency: 'usd' }, { headers }),
      409,
      'conflict',
    )
    expect(await stripeCalls()).toEqual([])
  })

  it('gives concurrent retries one session: Stripe gets the same idempotency key from each', async () => {
    const body = { amount: 700, currency: 'eur', interval: 'once' }
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        checkout(body, { headers: { 'idempotency-key': 'checkout-burst' } }),
      ),
    )
    const texts = await Promise.all(answers.map((answer) => answer.text()))
    expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(201))
    expect(new Set(texts).size).toBe(1)
    const keys = new Set((await stripeCalls()).map((request) => request.headers['idempotency-key']))
    expect(keys.size).toBe(1)
  })

  it('sends Stripe a fresh idempotency key per checkout without one', async () => {
    await checkout({ amount: 500, currency: 'usd' })
    await checkout({ amount: 500, currency: 'usd' })
    const keys = (await stripeCalls()).map((request) => request.headers['idempotency-key'])
    expect(keys).toHaveLength(2)
    expect(keys[0]).not.toBe(keys[1])
  })
})

describe('when Stripe refuses', () => {
  it('answers 502 without passing on Stripe’s words, and remembers nothing for the key', async () => {
    const headers = { 'idempotency-key': 'checkout-refused' }
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await checkout(
      { amount: 500, currency: 'usd', email: STRIPE_REFUSED_EMAIL },
      { headers },
    )
    const logged = errors.mock.calls.map((call) => call.join(' ')).join('\n')
    errors.mockRestore()
    const problem = await expectProblem(response, 502, 'internal')
    expect(problem.detail).not.toContain('Invalid email')
    expect(logged).toContain('StripeInvalidRequestError')
    expect(logged).not.toContain(STRIPE_REFUSED_EMAIL)
    expect(logged).not.toContain('Invalid email')
    const keys = await env.DB.prepare(
      "SELECT count(*) AS n FROM idempotency_keys WHERE key = 'checkout-refused'",
    ).first<{ n: number }>()
    expect(keys?.n).toBe(0)
  })

  it('answers 502 when the key is wrong', async () => {
    await expectProblem(
      await checkout(
        { amount: 500, currency: 'usd' },
        { env: { STRIPE_SECRET_KEY: 'sk_test_wrong' } },
      ),
      502,
      'internal',
    )
  })
})

describe('CORS for the widget', () => {
  it('lets an allowed site start a checkout and read the answer', async () => {
    const preflight = await call('/v1/checkout', {
      method: 'OPTIONS',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE)
    const response = await checkout({ amount: 500, currency: 'usd' }, { headers: { origin: SITE } })
    expect(response.status).toBe(201)
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE)
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})
