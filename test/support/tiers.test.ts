import { describe, expect, it } from 'vitest'
import { createEditor } from '../helpers/editors'
import { ADMIN, call, env, expectProblem, SITE } from '../helpers/http'

interface AdminTier {
  id: string
  name: string
  description: string
  amount: number
  currency: string
  interval: string
  active: boolean
  created_at: string
  updated_at: string
}

let sequence = 0

const tierInput = (overrides: Record<string, unknown> = {}) => {
  sequence += 1
  return {
    name: `Coffee ${sequence}`,
    description: 'A cup a month',
    amount: 300 + sequence,
    currency: 'usd',
    interval: 'month',
    ...overrides,
  }
}

const asAdmin = (path: string, json: unknown, method = 'POST') =>
  call(path, { method, json, headers: { authorization: ADMIN } })

async function createTier(overrides: Record<string, unknown> = {}): Promise<AdminTier> {
  const response = await asAdmin('/v1/admin/tiers', tierInput(overrides))
  expect(response.status).toBe(201)
  return response.json()
}

async function tierCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM tiers').first<{ n: number }>())?.n ?? 0
}

async function publicTiers(): Promise<{ id: string; amount: number }[]> {
  return ((await (await call('/v1/tiers')).json()) as { items: { id: string; amount: number }[] })
    .items
}

let editorToken: string | undefined

/** A request from a real editor account (role `editor`, not `admin`). */
async function asEditor(path: string, init: { method: string; json?: unknown }) {
  editorToken ??= (await createEditor('editor', 'Eve Editor')).token
  return call(path, {
    method: init.method,
    ...(init.json === undefined ? {} : { json: init.json }),
    headers: { authorization: `Bearer ${editorToken}` },
  })
}

describe('POST /v1/admin/tiers', () => {
  it('creates a tier that GET /v1/tiers then lists', async () => {
    const response = await asAdmin('/v1/admin/tiers', {
      name: '  Espresso  ',
      description: 'Keeps the night desk awake',
      amount: 500,
      currency: 'EUR',
      interval: 'month',
    })
    expect(response.status).toBe(201)
    const tier: AdminTier = await response.json()
    expect(tier).toEqual({
      id: expect.stringMatching(/^tier_/),
      name: 'Espresso',
      description: 'Keeps the night desk awake',
      amount: 500,
      currency: 'eur',
      interval: 'month',
      active: true,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updated_at: tier.created_at,
    })
    expect(await publicTiers()).toContainEqual({
      id: tier.id,
      name: 'Espresso',
      description: 'Keeps the night desk awake',
      amount: 500,
      currency: 'eur',
      interval: 'month',
    })
  })

  it('defaults the description to empty and the tier to active', async () => {
    const response = await asAdmin('/v1/admin/tiers', {
      name: 'Patron',
      amount: 10_000,
      currency: 'gbp',
      interval: 'year',
    })
    expect(await response.json()).toMatchObject({ description: '', active: true, interval: 'year' })
  })

  it('takes zero-decimal currencies as they are: 500 is ¥500', async () => {
    const tier = await createTier({ amount: 500, currency: 'jpy' })
    expect(tier).toMatchObject({ amount: 500, currency: 'jpy' })
  })

  it.each([
    ['an amount under 100', { amount: 99 }, 'amount'],
    ['a fractional amount', { amount: 150.5 }, 'amount'],
    ['an amount as a string', { amount: '500' }, 'amount'],
    ['an amount over Stripe’s limit', { amount: 100_000_000 }, 'amount'],
    ['a currency that is not ISO 4217', { currency: 'dollars' }, 'currency'],
    ['an interval Checkout does not sell', { interval: 'week' }, 'interval'],
    ['an empty name', { name: '   ' }, 'name'],
    ['a name of 101 characters', { name: 'é'.repeat(101) }, 'name'],
    ['a description of 501 characters', { description: '😀'.repeat(501) }, 'description'],
    ['active as a string', { active: 'yes' }, 'active'],
  ])('answers 400 to %s and stores nothing', async (_, overrides, path) => {
    const before = await tierCount()
    const problem = await expectProblem(
      await asAdmin('/v1/admin/tiers', tierInput(overrides)),
      400,
      'validation_failed',
    )
    expect(problem.errors?.map((error) => error.path)).toContain(path)
    expect(await tierCount()).toBe(before)
  })

  it('counts length in code points: 100 emoji make a valid name', async () => {
    expect((await createTier({ name: '☕'.repeat(100) })).name).toHaveLength(100)
  })

  it('answers 400 to malformed JSON, 415 to another media type and 413 to a huge body', async () => {
    const headers = { authorization: ADMIN, 'content-type': 'application/json' }
    await expectProblem(
      await call('/v1/admin/tiers', { method: 'POST', body: '{"name":', headers }),
      400,
      'validation_failed',
    )
    await expectProblem(
      await call('/v1/admin/tiers', {
        method: 'POST',
        body: JSON.stringify(tierInput()),
        headers: { ...headers, 'content-type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    )
    const huge = JSON.stringify(tierInput({ description: 'x'.repeat(70_000) }))
    await expectProblem(
      await call('/v1/admin/tiers', { method: 'POST', body: huge, headers }),
      413,
      'payload_too_large',
    )
  })

  it('answers 401 without a token or with a wrong one, before reading the body', async () => {
    const before = await tierCount()
    await expectProblem(await call('/v1/admin/tiers', { json: tierInput() }), 401, 'unauthorized')
    const malformed = await call('/v1/admin/tiers', {
      method: 'POST',
      body: '{"name":',
      headers: { authorization: 'Bearer nope', 'content-type': 'application/json' },
    })
    await expectProblem(malformed, 401, 'unauthorized')
    expect(await tierCount()).toBe(before)
  })

  it('answers 403 forbidden to an editor, who is not an admin', async () => {
    const before = await tierCount()
    const response = await asEditor('/v1/admin/tiers', { method: 'POST', json: tierInput() })
    await expectProblem(response, 403, 'forbidden')
    expect(await tierCount()).toBe(before)
  })
})

describe('PATCH /v1/admin/tiers/{id}', () => {
  it('changes only the fields sent and bumps updated_at', async () => {
    const tier = await createTier({ name: 'Latte', amount: 700 })
    await env.DB.prepare("UPDATE tiers SET updated_at = '2020-01-01T00:00:00.000Z' WHERE id = ?")
      .bind(tier.id)
      .run()
    const response = await asAdmin(
      `/v1/admin/tiers/${tier.id}`,
      { amount: 800, description: '' },
      'PATCH',
    )
    expect(response.status).toBe(200)
    const changed: AdminTier = await response.json()
    expect(changed).toMatchObject({
      id: tier.id,
      name: 'Latte',
      amount: 800,
      description: '',
      currency: 'usd',
      active: true,
    })
    expect(changed.updated_at > '2020-01-01T00:00:00.000Z').toBe(true)
  })

  it('hides a deactivated tier from the public list, and shows it again when reactivated', async () => {
    const tier = await createTier()
    expect((await publicTiers()).map((item) => item.id)).toContain(tier.id)
    expect((await asAdmin(`/v1/admin/tiers/${tier.id}`, { active: false }, 'PATCH')).status).toBe(
      200,
    )
    expect((await publicTiers()).map((item) => item.id)).not.toContain(tier.id)
    const all = (await (
      await call('/v1/admin/tiers', { headers: { authorization: ADMIN } })
    ).json()) as { items: AdminTier[] }
    expect(all.items.find((item) => item.id === tier.id)?.active).toBe(false)
    await asAdmin(`/v1/admin/tiers/${tier.id}`, { active: true }, 'PATCH')
    expect((await publicTiers()).map((item) => item.id)).toContain(tier.id)
  })

  it('answers 404 for an unknown tier', async () => {
    await expectProblem(
      await asAdmin('/v1/admin/tiers/tier_nope', { amount: 900 }, 'PATCH'),
      404,
      'not_found',
    )
  })

  it('answers 400 to an empty change or a bad field, changing nothing', async () => {
    const tier = await createTier({ amount: 450 })
    await expectProblem(
      await asAdmin(`/v1/admin/tiers/${tier.id}`, {}, 'PATCH'),
      400,
      'validation_failed',
    )
    await expectProblem(
      await asAdmin(`/v1/admin/tiers/${tier.id}`, { amount: 50 }, 'PATCH'),
      400,
      'validation_failed',
    )
    await expectProblem(
      await asAdmin(`/v1/admin/tiers/${tier.id}`, { name: null }, 'PATCH'),
      400,
      'validation_failed',
    )
    const row = await env.DB.prepare('SELECT amount, name FROM tiers WHERE id = ?')
      .bind(tier.id)
      .first<{ amount: number; name: string }>()
    expect(row).toEqual({ amount: 450, name: tier.name })
  })

  it('answers 401 without a token and 403 to an editor', async () => {
    const tier = await createTier()
    await expectProblem(
      await call(`/v1/admin/tiers/${tier.id}`, { method: 'PATCH', json: { amount: 900 } }),
      401,
      'unauthorized',
    )
    const response = await asEditor(`/v1/admin/tiers/${tier.id}`, {
      method: 'PATCH',
      json: { amount: 900 },
    })
    await expectProblem(response, 403, 'forbidden')
    expect(
      (
        await env.DB.prepare('SELECT amount FROM tiers WHERE id = ?')
          .bind(tier.id)
          .first<{ amount: number }>()
      )?.amount,
    ).toBe(tier.amount)
  })
})

describe('GET /v1/tiers', () => {
  it('lists active tiers cheapest first', async () => {
    const dear = await createTier({ amount: 9_000 })
    const cheap = await createTier({ amount: 150 })
    const ids = (await publicTiers()).map((item) => item.id)
    expect(ids.indexOf(cheap.id)).toBeLessThan(ids.indexOf(dear.id))
    const amounts = (await publicTiers()).map((item) => item.amount)
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b))
  })

  it('is cacheable for a minute and readable from any site', async () => {
    const response = await call('/v1/tiers', {
      headers: { origin: 'https://blog.elsewhere.example' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('shows the public fields only', async () => {
    await createTier()
    const [first] = (
      (await (await call('/v1/tiers', { headers: { origin: SITE } })).json()) as { items: object[] }
    ).items
    expect(Object.keys(first ?? {}).sort()).toEqual([
      'amount',
      'currency',
      'description',
      'id',
      'interval',
      'name',
    ])
  })
})

describe('GET /v1/admin/tiers', () => {
  it('is open to editors, not only admins', async () => {
    const response = await asEditor('/v1/admin/tiers', { method: 'GET' })
    expect(response.status).toBe(200)
  })

  it('needs a token', async () => {
    await expectProblem(await call('/v1/admin/tiers'), 401, 'unauthorized')
  })
})
