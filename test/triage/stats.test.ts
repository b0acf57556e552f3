import { describe, expect, it } from 'vitest'
import { asEditor, createEditor, moveTo, newReport } from '../helpers/editors'
import { call, env, expectProblem } from '../helpers/http'
import { delivered } from '../helpers/stripe'
import { subscriber } from '../helpers/supporters'

const HOUR = 3600e3

async function aged(hoursAgo: number): Promise<string> {
  const id = await newReport()
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString()
  await env.DB.prepare('UPDATE reports SET first_reported_at = ? WHERE id = ?').bind(at, id).run()
  return id
}

describe('GET /v1/admin/stats', () => {
  it('is zero and null on an empty desk, with every status and kind present', async () => {
    const response = await asEditor('/v1/admin/stats')
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      reports: { by_status: Record<string, number>; by_kind: Record<string, number> }
    } & Record<string, unknown>
    expect(body.reports.by_status).toEqual({
      new: 0,
      triaged: 0,
      accepted: 0,
      fixed: 0,
      rejected: 0,
      duplicate: 0,
      spam: 0,
    })
    expect(body.reports.by_kind).toEqual({
      typo: 0,
      factual: 0,
      clarification: 0,
      translation: 0,
      other: 0,
    })
    expect(body.median_hours_to_triage).toBeNull()
    expect(body.median_hours_to_fix).toBeNull()
  })

  it('counts by status and kind and takes the medians to triage and to fix', async () => {
    const a = await aged(10)
    const b = await aged(4)
    const c = await aged(2)
    await newReport({ kind: 'factual' })
    await newReport({ website: 'bot' })
    await moveTo(a, 'triaged')
    await moveTo(b, 'triaged')
    await moveTo(c, 'accepted')
    await asEditor(`/v1/admin/reports/${c}/correction`, {
      json: { kind: 'correction', text: 'Fixed.' },
    })
    await asEditor(`/v1/admin/reports/${a}/correction`, {
      json: { kind: 'correction', text: 'Fixed.' },
    })
    const body = (await (await asEditor('/v1/admin/stats')).json()) as {
      reports: { by_status: Record<string, number>; by_kind: Record<string, number> }
      median_hours_to_triage: number
      median_hours_to_fix: number
    }
    expect(body.reports.by_status).toMatchObject({ new: 1, triaged: 1, fixed: 2, spam: 1 })
    expect(body.reports.by_kind).toMatchObject({ typo: 4, factual: 1 })
    expect(body.median_hours_to_triage).toBeCloseTo(4, 1)
    expect(body.median_hours_to_fix).toBeCloseTo(6, 1)
  })

  it('joins the supporter totals: active supporters and monthly recurring per currency', async () => {
    const monthly = subscriber({ amount: 500, currency: 'usd' })
    const yearly = subscriber({ amount: 6000, currency: 'usd', interval: 'year' })
    for (const reader of [monthly, yearly]) {
      expect(
        (await delivered(reader.completed())) +
          (await delivered(reader.state('created', 'active'))),
      ).toBe('appliedapplied')
    }
    const body = (await (await asEditor('/v1/admin/stats')).json()) as { supporters: unknown }
    expect(body.supporters).toEqual({
      active: 2,
      monthly_recurring: [{ currency: 'usd', amount: 1000 }],
    })
  })

  it('is open to any editor and closed without a token', async () => {
    const editor = await createEditor('editor')
    expect((await asEditor('/v1/admin/stats', {}, editor.token)).status).toBe(200)
    await expectProblem(await call('/v1/admin/stats'), 401, 'unauthorized')
  })
})
