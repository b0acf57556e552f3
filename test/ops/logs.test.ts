import { afterEach, describe, expect, it, vi } from 'vitest'
import { reportInput } from '../helpers/factories'
import { call } from '../helpers/http'
import { logged } from '../helpers/logs'

afterEach(() => vi.restoreAllMocks())

describe('the newsroom’s logs', () => {
  it('hold one JSON line per request: id, method, route pattern, status, duration and D1 cost', async () => {
    let response: Response | undefined
    const lines = await logged(async () => {
      response = await call('/v1/reports', { json: reportInput() })
    })
    expect(response?.status).toBe(201)
    const requests = lines.map((line) => JSON.parse(line)).filter((l) => l.message === 'request')
    expect(requests).toEqual([
      {
        level: 'info',
        message: 'request',
        request_id: response?.headers.get('x-request-id'),
        method: 'POST',
        route: '/v1/reports',
        status: 201,
        duration_ms: expect.any(Number),
        d1: { round_trips: 1, rows_read: expect.any(Number), rows_written: expect.any(Number) },
      },
    ])
    expect(requests[0].d1.rows_written).toBeGreaterThan(0)
  })

  it('never hold a query string, a token, an email or an IP', async () => {
    const email = 'private.reader@example.org'
    const ip = '198.51.100.213'
    let token = ''
    const lines = await logged(async () => {
      const created = await call('/v1/reports', { json: reportInput({ email }), ip })
      const { status_url } = (await created.json()) as { status_url: string }
      const link = new URL(status_url)
      await call(`${link.pathname}${link.search}`, { ip })
      await call(`${link.pathname}?token=not-the-token`, { ip })
      await call('/v1/admin/reports?q=private', {
        headers: { authorization: 'Bearer not-a-real-token-abcdef' },
        ip,
      })
      token = link.searchParams.get('token')!
    })
    expect(token.length).toBeGreaterThan(20)
    expect(lines.length).toBeGreaterThanOrEqual(4)
    const text = lines.join('\n')
    for (const secret of [email, ip, token, 'not-the-token', 'not-a-real-token', '?', 'q=private'])
      expect(text, secret).not.toContain(secret)
    expect(text).toContain('"route":"/v1/submissions/:id"')
  })
})
