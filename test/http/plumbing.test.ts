import { describe, expect, it } from 'vitest'
import { reportInput } from '../helpers/factories'
import { ADMIN, call, expectProblem, SITE } from '../helpers/http'

describe('every answer', () => {
  it('carries the security headers and a request id', async () => {
    for (const path of ['/health', '/v1/nothing-here', '/openapi.json']) {
      const response = await call(path)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=31536000/)
      expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/)
    }
  })

  it('is not cacheable on API and admin routes', async () => {
    expect((await call('/health')).headers.get('cache-control')).toBe('no-store')
    const admin = await call('/v1/admin/reports', { headers: { authorization: ADMIN } })
    expect(admin.headers.get('cache-control')).toBe('no-store')
    expect((await call('/v1/reports', { json: reportInput() })).headers.get('cache-control')).toBe(
      'no-store',
    )
  })

  it('puts the request id into problems', async () => {
    const response = await call('/v1/nope', { headers: { 'x-request-id': 'trace-123' } })
    expect(response.headers.get('x-request-id')).toBe('trace-123')
    expect(((await response.json()) as { request_id: string }).request_id).toBe('trace-123')
  })
})

describe('unknown routes', () => {
  it.each(['/nope', '/v1/reports/', '/V1/REPORTS', '/v1/reports/extra', '/v1//reports'])(
    'answers 404 not_found to %s',
    async (path) => {
      await expectProblem(await call(path), 404, 'not_found')
    },
  )

  it('answers 404 to a method a route does not have', async () => {
    await expectProblem(await call('/v1/reports', { method: 'DELETE' }), 404, 'not_found')
  })
})

describe('CORS for the news sites', () => {
  it('answers a preflight from an allowed origin', async () => {
    const response = await call('/v1/reports', {
      method: 'OPTIONS',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, idempotency-key',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE)
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'idempotency-key',
    )
    expect(response.headers.get('vary')).toContain('Origin')
  })

  it('gives a foreign origin no CORS grant', async () => {
    const response = await call('/v1/reports', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('lets the widget read error answers', async () => {
    const response = await call('/v1/reports', { json: { quote: 1 }, headers: { origin: SITE } })
    await expectProblem(response, 400, 'validation_failed')
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE)
  })
})

describe('configuration', () => {
  it('answers 500 internal, naming nothing, when the deployment is misconfigured', async () => {
    const response = await call('/health', { env: { ALLOWED_ORIGINS: 'not an origin' } })
    const problem = await expectProblem(response, 500, 'internal')
    expect(problem.detail).not.toContain('ALLOWED_ORIGINS')
  })

  it('accepts origins written with a trailing slash, capitals or a default port', async () => {
    const response = await call('/v1/reports', {
      json: reportInput({ url: 'https://other.example/a' }),
      headers: { origin: 'https://other.example' },
      env: { ALLOWED_ORIGINS: ' HTTPS://Other.Example:443/ , https://news.example' },
    })
    expect(response.status).toBe(201)
  })
})
