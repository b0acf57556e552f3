import { describe, expect, it } from 'vitest'
import { count, reportInput } from '../helpers/factories'
import { call, env, expectProblem } from '../helpers/http'

const post = (body: unknown, key?: string, ip?: string) =>
  call('/v1/reports', {
    json: body,
    headers: key ? { 'idempotency-key': key } : {},
    ...(ip ? { ip } : {}),
  })

describe('Idempotency-Key on POST /v1/reports', () => {
  it('answers a retry with the first 201, byte for byte, and stores nothing new', async () => {
    const body = reportInput()
    const first = await post(body, 'retry-1')
    expect(first.status).toBe(201)
    const firstText = await first.text()
    const stored = [await count(env.DB, 'reports'), await count(env.DB, 'submissions')]
    // Another reader joins meanwhile: the replay must still show the first answer.
    await post({ ...body, comment: 'me too' })
    const again = await post(body, 'retry-1')
    expect(again.status).toBe(201)
    expect(await again.text()).toBe(firstText)
    expect(JSON.parse(firstText).submissions).toBe(1)
    expect([await count(env.DB, 'reports'), await count(env.DB, 'submissions')]).toEqual([
      stored[0],
      stored[1]! + 1,
    ])
  })

  it('answers 409 conflict when the key comes back with another body', async () => {
    const body = reportInput()
    expect((await post(body, 'retry-2')).status).toBe(201)
    const before = await count(env.DB, 'submissions')
    await expectProblem(await post({ ...body, comment: 'changed' }, 'retry-2'), 409, 'conflict')
    expect(await count(env.DB, 'submissions')).toBe(before)
  })

  it('does not remember error answers', async () => {
    const keys = await count(env.DB, 'idempotency_keys')
    const body = reportInput({ url: 'https://evil.example/a' })
    await expectProblem(await post(body, 'retry-3'), 422, 'origin_not_allowed')
    expect(await count(env.DB, 'idempotency_keys')).toBe(keys)
    const fixed = reportInput()
    expect((await post(fixed, 'retry-3')).status).toBe(201)
    expect(await count(env.DB, 'idempotency_keys')).toBe(keys + 1)
  })

  it('takes effect once for 20 concurrent requests with one key', async () => {
    const body = reportInput()
    const before = await count(env.DB, 'submissions')
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body, 'burst-key')))
    const texts = await Promise.all(answers.map((answer) => answer.text()))
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201))
    expect(new Set(texts).size).toBe(1)
    expect(await count(env.DB, 'submissions')).toBe(before + 1)
  })

  it('forgets a key after 24 hours', async () => {
    const body = reportInput()
    const first = await post(body, 'old-key')
    const firstId = ((await first.json()) as { submission_id: string }).submission_id
    await env.DB.prepare(
      "UPDATE idempotency_keys SET created_at = '2020-01-01T00:00:00.000Z' WHERE key = 'old-key'",
    ).run()
    const later = await post(body, 'old-key')
    expect(later.status).toBe(201)
    expect(((await later.json()) as { submission_id: string }).submission_id).not.toBe(firstId)
  })

  it('refuses a malformed key', async () => {
    await expectProblem(await post(reportInput(), 'has spaces in it'), 400, 'validation_failed')
    await expectProblem(await post(reportInput(), 'k'.repeat(256)), 400, 'validation_failed')
  })

  it('lets a replay through even when the rate limit is full, without counting it', async () => {
    const ip = '192.0.2.10'
    const limited = { RATE_LIMIT_REPORTS_PER_MINUTE: '2' }
    const body = reportInput()
    const send = (payload: unknown, key?: string) =>
      call('/v1/reports', {
        json: payload,
        ip,
        env: limited,
        headers: key ? { 'idempotency-key': key } : {},
      })
    const first = await send(body, 'limited-key')
    expect(first.status).toBe(201)
    expect((await send(body, 'limited-key')).status).toBe(201)
    expect((await send(reportInput())).status).toBe(201)
    expect((await send(body, 'limited-key')).status).toBe(201)
    await expectProblem(await send(reportInput()), 429, 'rate_limited')
  })
})
