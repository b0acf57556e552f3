import { createScheduledController } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { reportInput } from '../helpers/factories'
import { call, env } from '../helpers/http'

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
