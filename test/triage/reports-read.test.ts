import { describe, expect, it } from 'vitest'
import { moveTo } from '../helpers/editors'
import { reportInput } from '../helpers/factories'
import { ADMIN, call, env, expectProblem } from '../helpers/http'

const admin = (path: string, headers: Record<string, string> = {}) =>
  call(path, { headers: { authorization: ADMIN, ...headers } })

async function seed(n: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const response = await call('/v1/reports', { json: reportInput(overrides) })
    ids.push(((await response.json()) as { id: string }).id)
  }
  return ids
}

interface Page {
  items: { id: string; status: string }[]
  next_cursor: string | null
}

describe('editor authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['another scheme', { authorization: `Basic ${btoa('admin:x')}` }],
    ['a token without scheme', { authorization: String(env.ADMIN_TOKEN) }],
    ['a prefix of the token', { authorization: `Bearer ${String(env.ADMIN_TOKEN).slice(0, -1)}` }],
  ])('answers 401 with WWW-Authenticate to %s', async (_, headers) => {
    const response = await call('/v1/admin/reports', { headers })
    await expectProblem(response, 401, 'unauthorized')
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="readerdesk"/)
  })

  it('refuses a token in the query string', async () => {
    for (const name of ['token', 'access_token', 'authorization']) {
      await expectProblem(
        await call(`/v1/admin/reports?${name}=${env.ADMIN_TOKEN}`),
        401,
        'unauthorized',
      )
    }
  })

  it('refuses everyone when no ADMIN_TOKEN is configured', async () => {
    const response = await call('/v1/admin/reports', {
      headers: { authorization: 'Bearer ' },
      env: { ADMIN_TOKEN: undefined },
    })
    await expectProblem(response, 401, 'unauthorized')
  })
})

describe('GET /v1/admin/reports', () => {
  it('lists newest first and pages through every report once', async () => {
    const ids = await seed(7)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const response = await admin(`/v1/admin/reports?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      expect(response.status).toBe(200)
      const page = (await response.json()) as Page
      expect(page.items.length).toBeLessThanOrEqual(3)
      seen.push(...page.items.map((item) => item.id))
      cursor = page.next_cursor
    } while (cursor)
    expect(seen).toEqual([...ids].reverse())
  })

  it('pages stably while new reports arrive', async () => {
    const before = await seed(4)
    const first = (await (await admin('/v1/admin/reports?limit=2')).json()) as Page
    const arrived = await seed(3)
    const rest: string[] = []
    let cursor = first.next_cursor
    while (cursor) {
      const page = (await (
        await admin(`/v1/admin/reports?limit=2&cursor=${cursor}`)
      ).json()) as Page
      rest.push(...page.items.map((item) => item.id))
      cursor = page.next_cursor
    }
    const seen = [...first.items.map((item) => item.id), ...rest]
    expect(new Set(seen).size).toBe(seen.length)
    for (const id of before) expect(seen).toContain(id)
    for (const id of arrived) expect(seen).not.toContain(id)
  })

  it('filters by a list of statuses and hides spam unless asked', async () => {
    const [triaged] = await seed(1)
    await moveTo(triaged!, 'triaged')
    const [spam] = await seed(1, { website: 'bot' })
    const onlyTriaged = (await (
      await admin('/v1/admin/reports?status=triaged&limit=100')
    ).json()) as Page
    expect(onlyTriaged.items.map((item) => item.id)).toEqual([triaged])
    const defaults = (await (await admin('/v1/admin/reports?limit=100')).json()) as Page
    expect(defaults.items.every((item) => item.status !== 'spam')).toBe(true)
    const both = (await (
      await admin('/v1/admin/reports?status=spam,triaged&limit=100')
    ).json()) as Page
    expect(both.items.map((item) => item.id).sort()).toEqual([spam, triaged].sort())
  })

  it.each([
    ['limit=0'],
    ['limit=101'],
    ['limit=abc'],
    ['limit=1.5'],
    ['status=open'],
    ['cursor=not-a-cursor'],
    [`cursor=${btoa(JSON.stringify({ v: 1, s: 'other', k: [] }))}`],
    [`cursor=${btoa(JSON.stringify({ v: 1, s: 'reports:newest', k: [1, 2] })).replace(/=+$/, '')}`],
  ])('answers 400 to %s', async (query) => {
    const problem = await expectProblem(
      await admin(`/v1/admin/reports?${query}`),
      400,
      'validation_failed',
    )
    expect(problem.errors?.length).toBeGreaterThan(0)
  })
})

describe('GET /v1/admin/reports/{id}', () => {
  it('answers 404 for an unknown report', async () => {
    await expectProblem(await admin('/v1/admin/reports/rep_nope'), 404, 'not_found')
  })

  it('needs a token', async () => {
    const [id] = await seed(1)
    await expectProblem(await call(`/v1/admin/reports/${id}`), 401, 'unauthorized')
  })
})
