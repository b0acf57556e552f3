/**
 * The supporters' goal (API.md "Supporters' goal"): admins set and remove it, readers read it
 * from any site, and where it stands is counted exactly as the public supporter figures count.
 */
import { describe, expect, it } from 'vitest'
import { createEditor } from '../helpers/editors'
import { ADMIN, call, env, expectProblem, SITE } from '../helpers/http'
import { delivered } from '../helpers/stripe'
import {
  amountIn,
  giver,
  publicStats,
  subscriber,
  type SubscriberOptions,
} from '../helpers/supporters'

const putGoal = (json: unknown, authorization: string | null = ADMIN) =>
  call('/v1/admin/goal', {
    method: 'PUT',
    json,
    headers: authorization ? { authorization } : {},
  })

const deleteGoal = (authorization: string | null = ADMIN) =>
  call('/v1/admin/goal', { method: 'DELETE', headers: authorization ? { authorization } : {} })

async function publicGoal() {
  const response = await call('/v1/supporters/goal', { headers: { origin: SITE } })
  return { response, body: (await response.json()) as Record<string, unknown> }
}

const storedGoal = async () => (await env.DB.prepare('SELECT * FROM supporters_goal').all()).results

/** A reader whose subscription Stripe reports in `status`. */
async function subscribed(options: SubscriberOptions, status: 'active' | 'past_due' | 'canceled') {
  const reader = subscriber(options)
  await delivered(reader.completed())
  await delivered(reader.state('created', 'active'))
  if (status === 'past_due') await delivered(reader.state('updated', 'past_due'))
  if (status === 'canceled') await delivered(reader.state('deleted', 'canceled'))
}

describe('where the goal stands', () => {
  it('counts active supporters, and the monthly recurring amount per currency, as /v1/supporters/stats does', async () => {
    await subscribed({ amount: 500, currency: 'usd', interval: 'month' }, 'active')
    // Each yearly plan counts a twelfth rounded down: 108 + 108, not 2 612 / 12 = 217.
    await subscribed({ amount: 1_306, currency: 'usd', interval: 'year' }, 'active')
    await subscribed({ amount: 1_306, currency: 'usd', interval: 'year' }, 'active')
    await subscribed({ amount: 300, currency: 'usd', interval: 'month' }, 'past_due')
    await subscribed({ amount: 900, currency: 'usd', interval: 'month' }, 'canceled')
    await subscribed({ amount: 700, currency: 'eur', interval: 'month' }, 'active')
    await subscribed({ amount: 6_000, currency: 'gbp', interval: 'year' }, 'active')
    await delivered(giver({ amount: 5_000, currency: 'usd' }).completed())
    const stats = await publicStats()

    expect((await putGoal({ kind: 'supporters', target: 10 })).status).toBe(200)
    expect((await publicGoal()).body).toEqual({
      kind: 'supporters',
      target: 10,
      current: 6,
      currency: null,
    })
    expect(stats.active_supporters).toBe(6)

    const expected = { usd: 500 + 108 + 108 + 300, eur: 700, gbp: 500 }
    for (const [currency, amount] of Object.entries(expected)) {
      const put = await putGoal({ kind: 'monthly', target: 100_000, currency })
      expect(await put.json()).toEqual({
        kind: 'monthly',
        target: 100_000,
        current: amount,
        currency,
      })
      expect((await publicGoal()).body.current).toBe(amount)
      expect(amountIn(stats.monthly_recurring, currency)).toBe(amount)
    }
  })

  it('counts nothing yet in a currency no supporter pays in', async () => {
    const put = await putGoal({ kind: 'monthly', target: 1, currency: 'usd' }, ADMIN)
    expect(put.status).toBe(200)
    const other = await call('/v1/admin/goal', {
      method: 'PUT',
      json: { kind: 'monthly', target: 5_000, currency: 'JPY' },
      headers: { authorization: ADMIN },
      env: { SUPPORT_CURRENCIES: 'usd,jpy' },
    })
    expect(await other.json()).toEqual({
      kind: 'monthly',
      target: 5_000,
      current: 0,
      currency: 'jpy',
    })
  })
})

describe('GET /v1/supporters/goal', () => {
  it('is public, cacheable for a minute at most and readable from any site', async () => {
    await putGoal({ kind: 'supporters', target: 3 })
    const { response } = await publicGoal()
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })

  it('answers 404 not_found when no goal is set, and keeps no copy of that answer', async () => {
    expect((await deleteGoal()).status).toBe(204)
    const response = await call('/v1/supporters/goal', { headers: { origin: SITE } })
    await expectProblem(response, 404, 'not_found')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('PUT and DELETE /v1/admin/goal', () => {
  it('replaces the goal, which shows at once, and keeps one row saying who set it', async () => {
    await putGoal({ kind: 'supporters', target: 50 })
    expect((await publicGoal()).body).toMatchObject({ kind: 'supporters', target: 50 })
    const admin = await createEditor('admin', 'Grace Admin')
    const put = await putGoal(
      { kind: 'monthly', target: 250_000, currency: 'eur' },
      `Bearer ${admin.token}`,
    )
    expect(put.status).toBe(200)
    expect((await publicGoal()).body).toMatchObject({
      kind: 'monthly',
      target: 250_000,
      currency: 'eur',
    })
    expect(await storedGoal()).toEqual([
      expect.objectContaining({ kind: 'monthly', target: 250_000, updated_by: 'Grace Admin' }),
    ])
  })

  it('accepts a null currency for a supporters goal and stores a currency lowercase', async () => {
    expect((await putGoal({ kind: 'supporters', target: 1, currency: null })).status).toBe(200)
    const put = await putGoal({ kind: 'monthly', target: 1_000_000_000, currency: 'GBP' })
    expect(await put.json()).toMatchObject({ target: 1_000_000_000, currency: 'gbp' })
  })

  it('removes the goal with 204, and answers 204 again when none is left', async () => {
    await putGoal({ kind: 'supporters', target: 7 })
    const removed = await deleteGoal()
    expect(removed.status).toBe(204)
    expect(await removed.text()).toBe('')
    expect(await storedGoal()).toEqual([])
    expect((await deleteGoal()).status).toBe(204)
    expect((await call('/v1/supporters/goal')).status).toBe(404)
  })

  it('takes an admin: 401 without a valid token, 403 for an editor, and changes nothing', async () => {
    await putGoal({ kind: 'supporters', target: 12 })
    const before = await storedGoal()
    const editor = await createEditor('editor')
    const goal = { kind: 'supporters', target: 99 }
    await expectProblem(await putGoal(goal, null), 401, 'unauthorized')
    await expectProblem(await putGoal(goal, 'Bearer rdk_not-a-token'), 401, 'unauthorized')
    await expectProblem(await putGoal(goal, `Bearer ${editor.token}`), 403, 'forbidden')
    await expectProblem(await deleteGoal(null), 401, 'unauthorized')
    await expectProblem(await deleteGoal(`Bearer ${editor.token}`), 403, 'forbidden')
    expect(await storedGoal()).toEqual(before)
  })

  it('refuses bad input with 400 validation_failed, naming the field, and stores nothing', async () => {
    await putGoal({ kind: 'supporters', target: 12 })
    const before = await storedGoal()
    const cases: [unknown, string][] = [
      [{ target: 10 }, 'kind'],
      [{ kind: 'readers', target: 10 }, 'kind'],
      [{ kind: 'supporters' }, 'target'],
      [{ kind: 'supporters', target: '10' }, 'target'],
      [{ kind: 'supporters', target: 0 }, 'target'],
      [{ kind: 'supporters', target: 2.5 }, 'target'],
      [{ kind: 'supporters', target: 1_000_000_001 }, 'target'],
      [{ kind: 'supporters', target: 1e300 }, 'target'],
      [{ kind: 'supporters', target: 10, currency: 'usd' }, 'currency'],
      [{ kind: 'monthly', target: 10 }, 'currency'],
      [{ kind: 'monthly', target: 10, currency: null }, 'currency'],
      [{ kind: 'monthly', target: 10, currency: 'dollars' }, 'currency'],
      [{ kind: 'monthly', target: 10, currency: 'jpy' }, 'currency'],
      [{ kind: 'monthly', target: 10, currency: 5 }, 'currency'],
    ]
    for (const [json, path] of cases) {
      const problem = await expectProblem(await putGoal(json), 400, 'validation_failed')
      expect(
        problem.errors?.map((error) => error.path),
        JSON.stringify(json),
      ).toContain(path)
    }
    for (const body of ['{"kind":', '[]', 'null', '"supporters"']) {
      const response = await call('/v1/admin/goal', {
        method: 'PUT',
        body,
        headers: { authorization: ADMIN, 'content-type': 'application/json' },
      })
      await expectProblem(response, 400, 'validation_failed')
    }
    const asText = await call('/v1/admin/goal', {
      method: 'PUT',
      body: JSON.stringify({ kind: 'supporters', target: 99 }),
      headers: { authorization: ADMIN, 'content-type': 'text/plain' },
    })
    await expectProblem(asText, 415, 'unsupported_media_type')
    const huge = { kind: 'supporters', target: 99, note: 'x'.repeat(70_000) }
    await expectProblem(await putGoal(huge), 413, 'payload_too_large')
    expect(await storedGoal()).toEqual(before)
  })
})

describe('the OpenAPI document', () => {
  it('documents the goal’s operations, their statuses and security', async () => {
    const document = (await (await call('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
      >
      components: { schemas: Record<string, { properties: Record<string, { type: unknown }> }> }
    }
    const goal = document.paths['/v1/admin/goal']!
    expect(goal.put?.security).toEqual([{ bearer: [] }])
    expect(goal.delete?.security).toEqual([{ bearer: [] }])
    expect(Object.keys(goal.put!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '413', '415']),
    )
    expect(Object.keys(goal.delete!.responses)).toEqual(
      expect.arrayContaining(['204', '401', '403']),
    )
    const read = document.paths['/v1/supporters/goal']!.get!
    expect(read.security).toBeUndefined()
    expect(Object.keys(read.responses)).toEqual(expect.arrayContaining(['200', '404']))
    expect(document.components.schemas.SupportersGoal?.properties.currency?.type).toEqual([
      'string',
      'null',
    ])
  })
})
