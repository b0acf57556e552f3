import { afterEach, describe, expect, it, vi } from 'vitest'
import { reportInput } from '../helpers/factories'
import { call, env, expectProblem } from '../helpers/http'
import { requestLines } from '../helpers/logs'

afterEach(() => vi.restoreAllMocks())

/** A reader's report as the widget sends it: a key of its own, the production limit on. */
const asTheWidget = (body: unknown, key = crypto.randomUUID(), ip?: string) =>
  call('/v1/reports', {
    json: body,
    headers: { 'idempotency-key': key },
    env: { RATE_LIMIT_REPORTS_PER_MINUTE: '10' },
    ...(ip ? { ip } : {}),
  })

describe('what a reader’s report costs in D1', () => {
  it('is one round trip on the real path (key sent, limit on with room), new or joining', async () => {
    const body = reportInput()
    const [opened, joined] = await requestLines(async () => {
      expect((await asTheWidget(body)).status).toBe(201)
      expect((await asTheWidget({ ...body, suggestion: 'me too' })).status).toBe(201)
    })
    expect(opened?.d1.round_trips).toBe(1)
    expect(joined?.d1.round_trips).toBe(1)
    // The hit, the report, the submission and the key: each path writes, none reads a table whole.
    expect(opened?.d1.rows_written).toBeGreaterThanOrEqual(4)
    expect(joined?.d1.rows_read).toBeLessThan(50)
  })

  it('is one round trip on the light path too (no key, limit off)', async () => {
    const [line] = await requestLines(() =>
      call('/v1/reports', { json: reportInput(), env: { RATE_LIMIT_REPORTS_PER_MINUTE: '0' } }),
    )
    expect(line?.status).toBe(201)
    expect(line?.d1.round_trips).toBe(1)
  })

  it('reads once more only when something went wrong, and answers in the contract’s order', async () => {
    const ip = '192.0.2.77'
    const body = reportInput()
    const lines = await requestLines(async () => {
      expect((await asTheWidget(body, 'the-key', ip)).status).toBe(201)
      // A replay: the write's key claim fails, one read finds the first answer.
      expect((await asTheWidget(body, 'the-key', ip)).status).toBe(201)
      // An invalid body: one read (no replay, room in the window), then its own 400.
      await expectProblem(
        await asTheWidget({ quote: 1 }, 'other-key', ip),
        400,
        'validation_failed',
      )
    })
    expect(lines.map((line) => [line.status, line.d1.round_trips])).toEqual([
      [201, 1],
      [201, 2],
      [400, 1],
    ])
    const stored = await env.DB.prepare(
      'SELECT count(*) AS n FROM submissions s JOIN reports r ON r.id = s.report_id WHERE r.url = ?',
    )
      .bind(body.url)
      .first<{ n: number }>()
    expect(stored?.n).toBe(1)
  })
})
