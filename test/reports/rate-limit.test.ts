import { describe, expect, it } from 'vitest'
import { count, reportInput } from '../helpers/factories'
import { clientNetwork } from '../../src/http/rate-limit'
import { call, env, expectProblem } from '../helpers/http'

const limit = (n: number) => ({ RATE_LIMIT_REPORTS_PER_MINUTE: String(n) })

describe('the per-IP rate limit on reports', () => {
  it('answers 429 with Retry-After after the quota, and stores nothing for it', async () => {
    const ip = '203.0.113.1'
    for (let i = 0; i < 3; i++) {
      expect((await call('/v1/reports', { json: reportInput(), ip, env: limit(3) })).status).toBe(
        201,
      )
    }
    const before = await count(env.DB, 'submissions')
    const response = await call('/v1/reports', { json: reportInput(), ip, env: limit(3) })
    await expectProblem(response, 429, 'rate_limited')
    const retryAfter = Number(response.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(await count(env.DB, 'submissions')).toBe(before)
  })

  it('counts each IP apart', async () => {
    expect(
      (await call('/v1/reports', { json: reportInput(), ip: '203.0.113.2', env: limit(1) })).status,
    ).toBe(201)
    expect(
      (await call('/v1/reports', { json: reportInput(), ip: '203.0.113.3', env: limit(1) })).status,
    ).toBe(201)
    await expectProblem(
      await call('/v1/reports', { json: reportInput(), ip: '203.0.113.2', env: limit(1) }),
      429,
      'rate_limited',
    )
  })

  it('counts honeypot hits', async () => {
    const ip = '203.0.113.4'
    expect(
      (await call('/v1/reports', { json: reportInput({ website: 'x' }), ip, env: limit(1) }))
        .status,
    ).toBe(201)
    await expectProblem(
      await call('/v1/reports', { json: reportInput(), ip, env: limit(1) }),
      429,
      'rate_limited',
    )
  })

  it('does not count refused requests, but answers 429 before 400 once full', async () => {
    const ip = '203.0.113.5'
    for (let i = 0; i < 3; i++) {
      await expectProblem(
        await call('/v1/reports', { json: { quote: 1 }, ip, env: limit(1) }),
        400,
        'validation_failed',
      )
    }
    expect((await call('/v1/reports', { json: reportInput(), ip, env: limit(1) })).status).toBe(201)
    await expectProblem(
      await call('/v1/reports', { json: { quote: 1 }, ip, env: limit(1) }),
      429,
      'rate_limited',
    )
  })

  it('is exact under concurrency: 20 requests at once with a quota of 5 store 5', async () => {
    const ip = '203.0.113.6'
    const before = await count(env.DB, 'submissions')
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call('/v1/reports', { json: reportInput(), ip, env: limit(5) }),
      ),
    )
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(15)
    expect(await count(env.DB, 'submissions')).toBe(before + 5)
    for (const answer of answers.filter((a) => a.status === 429))
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/)
  })

  it('slides: a hit older than a minute no longer counts', async () => {
    const ip = '203.0.113.7'
    expect((await call('/v1/reports', { json: reportInput(), ip, env: limit(1) })).status).toBe(201)
    await expectProblem(
      await call('/v1/reports', { json: reportInput(), ip, env: limit(1) }),
      429,
      'rate_limited',
    )
    await env.DB.prepare('UPDATE rate_limit_hits SET at = at - 61000').run()
    expect((await call('/v1/reports', { json: reportInput(), ip, env: limit(1) })).status).toBe(201)
  })

  it('is off with 0', async () => {
    const ip = '203.0.113.8'
    const hits = await count(env.DB, 'rate_limit_hits')
    for (let i = 0; i < 12; i++) {
      expect((await call('/v1/reports', { json: reportInput(), ip, env: limit(0) })).status).toBe(
        201,
      )
    }
    expect(await count(env.DB, 'rate_limit_hits')).toBe(hits)
  })

  it('defaults to 10 a minute', async () => {
    const ip = '203.0.113.9'
    const env10 = { RATE_LIMIT_REPORTS_PER_MINUTE: undefined }
    for (let i = 0; i < 10; i++) {
      expect((await call('/v1/reports', { json: reportInput(), ip, env: env10 })).status).toBe(201)
    }
    await expectProblem(
      await call('/v1/reports', { json: reportInput(), ip, env: env10 }),
      429,
      'rate_limited',
    )
  })
})

describe('the client the limit counts', () => {
  it('counts a whole IPv6 /64 as one client: eight addresses of it get three 201s', async () => {
    const statuses: number[] = []
    for (let i = 1; i <= 8; i++) {
      const ip = `2001:db8:4:7::${i.toString(16)}:${(i * 7919).toString(16)}`
      statuses.push((await call('/v1/reports', { json: reportInput(), ip, env: limit(3) })).status)
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429])
    const neighbour = '2001:db8:4:8::1'
    expect(
      (await call('/v1/reports', { json: reportInput(), ip: neighbour, env: limit(3) })).status,
    ).toBe(201)
  })

  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['2001:DB8:0:1:abcd::1', '2001:db8:0:1::/64'],
    ['2001:0db8:0000:0001:ffff:ffff:ffff:ffff', '2001:db8:0:1::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::ffff:198.51.100.7', '198.51.100.7'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('reads %s as %s', (address, client) => {
    expect(clientNetwork(address)).toBe(client)
  })
})
