import { beforeEach, describe, expect, it } from 'vitest'
import { count, reportInput } from '../helpers/factories'
import { TURNSTILE_PASS, TURNSTILE_SECRET } from '../helpers/fakes'
import { call, clearFakeRequests, env, expectProblem, fakeRequests } from '../helpers/http'

const withTurnstile = { TURNSTILE_SECRET_KEY: TURNSTILE_SECRET }

describe('Turnstile, when TURNSTILE_SECRET_KEY is set', () => {
  beforeEach(clearFakeRequests)

  it('accepts a report whose token siteverify passes, sending it the secret and the IP', async () => {
    const response = await call('/v1/reports', {
      json: reportInput({ turnstile_token: TURNSTILE_PASS }),
      ip: '198.51.100.20',
      env: withTurnstile,
    })
    expect(response.status).toBe(201)
    const [verify] = (await fakeRequests()).filter(
      (request) => request.path === '/turnstile/v0/siteverify',
    )
    expect(verify?.body).toContain(TURNSTILE_SECRET)
    expect(verify?.body).toContain(TURNSTILE_PASS)
    expect(verify?.body).toContain('198.51.100.20')
  })

  it('refuses a token siteverify fails with 403 captcha_failed, storing nothing', async () => {
    const before = await count(env.DB, 'submissions')
    const response = await call('/v1/reports', {
      json: reportInput({ turnstile_token: 'forged' }),
      env: withTurnstile,
    })
    await expectProblem(response, 403, 'captcha_failed')
    expect(await count(env.DB, 'submissions')).toBe(before)
  })

  it('refuses a report without a token, without asking siteverify', async () => {
    await expectProblem(
      await call('/v1/reports', { json: reportInput(), env: withTurnstile }),
      403,
      'captcha_failed',
    )
    expect(await fakeRequests()).toEqual([])
  })

  it('fails closed when siteverify cannot be reached', async () => {
    const response = await call('/v1/reports', {
      json: reportInput({ turnstile_token: TURNSTILE_PASS }),
      env: { ...withTurnstile, TURNSTILE_VERIFY_URL: 'http://127.0.0.1:9/siteverify' },
    })
    await expectProblem(response, 403, 'captcha_failed')
  })

  it('answers 400 before asking siteverify, and 422 only after the captcha', async () => {
    await expectProblem(
      await call('/v1/reports', {
        json: { quote: 7, turnstile_token: TURNSTILE_PASS },
        env: withTurnstile,
      }),
      400,
      'validation_failed',
    )
    expect(await fakeRequests()).toEqual([])
    await expectProblem(
      await call('/v1/reports', {
        json: reportInput({ url: 'https://evil.example/a', turnstile_token: 'bad' }),
        env: withTurnstile,
      }),
      403,
      'captcha_failed',
    )
  })

  it('is not required when the secret is not set', async () => {
    expect((await call('/v1/reports', { json: reportInput() })).status).toBe(201)
    expect(await fakeRequests()).toEqual([])
  })

  it('counts failed captchas against the rate limit, and stops asking siteverify once full', async () => {
    const ip = '198.51.100.77'
    const env = { ...withTurnstile, RATE_LIMIT_REPORTS_PER_MINUTE: '3' }
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const response = await call('/v1/reports', {
        json: reportInput({ turnstile_token: `forged-${i}` }),
        ip,
        env,
      })
      statuses.push(response.status)
    }
    expect(statuses).toEqual([403, 403, 403, 429, 429, 429])
    const verified = (await fakeRequests()).filter(
      (request) => request.path === '/turnstile/v0/siteverify',
    )
    expect(verified).toHaveLength(3)
    await expectProblem(
      await call('/v1/reports', {
        json: reportInput({ turnstile_token: TURNSTILE_PASS }),
        ip,
        env,
      }),
      429,
      'rate_limited',
    )
  })
})
