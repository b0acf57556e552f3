import { createScheduledController } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { reportInput } from '../helpers/factories'
import { ADMIN, call, env } from '../helpers/http'

describe('the hourly clean-up', () => {
  it('removes expired idempotency keys and stale rate-limit hits, and nothing else', async () => {
    await call('/v1/reports', { json: reportInput(), headers: { 'idempotency-key': 'old' } })
    await call('/v1/reports', { json: reportInput(), headers: { 'idempotency-key': 'fresh' } })
    const now = Date.now()
    await env.DB.prepare("UPDATE idempotency_keys SET created_at = ? WHERE key = 'old'")
      .bind(new Date(now - 25 * 3600e3).toISOString())
      .run()
    await env.DB.prepare('INSERT INTO rate_limit_hits (bucket, at, quota) VALUES (?, ?, 10)')
      .bind('reports:stale', now - 120e3)
      .run()
    await worker.scheduled(
      createScheduledController({ scheduledTime: now, cron: '17 * * * *' }),
      env,
    )
    const keys = await env.DB.prepare('SELECT key FROM idempotency_keys ORDER BY key').all<{
      key: string
    }>()
    expect(keys.results.map((row) => row.key)).toEqual(['fresh'])
    const stale = await env.DB.prepare(
      "SELECT count(*) AS n FROM rate_limit_hits WHERE bucket = 'reports:stale'",
    ).first<{ n: number }>()
    expect(stale?.n).toBe(0)
    const recent = await env.DB.prepare('SELECT count(*) AS n FROM rate_limit_hits').first<{
      n: number
    }>()
    expect(recent?.n).toBe(2)
    const submissions = await env.DB.prepare('SELECT count(*) AS n FROM submissions').first<{
      n: number
    }>()
    expect(submissions?.n).toBe(2)
  })
})

describe('the search index, off the write path', () => {
  const state = async () => {
    const row = await env.DB.prepare(
      `SELECT (SELECT indexed_upto FROM search_state WHERE id = 1) AS indexed,
         (SELECT max(rowid) FROM submissions) AS newest`,
    ).first<{ indexed: number; newest: number }>()
    return row!
  }
  const search = (q: string) =>
    call(`/v1/admin/reports?q=${encodeURIComponent(q)}`, {
      headers: { authorization: ADMIN },
    }).then(async (response) => {
      expect(response.status).toBe(200)
      return ((await response.json()) as { items: { id: string }[] }).items.map((row) => row.id)
    })

  it('is fed by the hourly job and before every search, never by the reader’s write', async () => {
    const first = await call('/v1/reports', {
      json: reportInput({ quote: 'Quixotic zeppelin budget' }),
    })
    const { id } = (await first.json()) as { id: string }
    const written = await state()
    expect(written.indexed).toBeLessThan(written.newest)
    // A search catches up first, in its own batch: the report submitted a moment ago is found.
    expect(await search('quixotic')).toEqual([id])
    expect((await state()).indexed).toBe(written.newest)

    await call('/v1/reports', { json: reportInput({ quote: 'Zeppelins in the harbour' }) })
    expect((await state()).indexed).toBeLessThan((await state()).newest)
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }),
      env,
    )
    const caughtUp = await state()
    expect(caughtUp.indexed).toBe(caughtUp.newest)
    expect(await search('zeppelin')).toHaveLength(2)
  })
})
