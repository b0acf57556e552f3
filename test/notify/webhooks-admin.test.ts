import { beforeEach, describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../src/notify/messages'
import { asEditor, createEditor } from '../helpers/editors'
import { call, env, expectProblem } from '../helpers/http'

interface Endpoint {
  id: string
  url: string
  events: string[]
  created_at: string
}

interface Delivery {
  id: string
  event: string
  message_id: string
  attempt: number
  status_code: number | null
  error: string | null
  at: string
  outcome: string
}

interface Page<T> {
  items: T[]
  next_cursor: string | null
}

const HOOK = 'https://tools.news.example/hooks/readerdesk'
const SLACK = 'https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnop'

function register(body: unknown, token?: string) {
  return asEditor('/v1/admin/webhooks', { json: body }, token)
}

async function newEndpoint(fields: Record<string, unknown> = {}) {
  const response = await register({ url: HOOK, events: ['report.created'], ...fields })
  expect(response.status).toBe(201)
  return (await response.json()) as Endpoint & { secret: string }
}

async function json<T>(path: string): Promise<T> {
  const response = await asEditor(path)
  expect(response.status).toBe(200)
  return (await response.json()) as T
}

/** Every item of a list, page by page. */
async function allPages<T>(path: string, limit: number): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  do {
    const query = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`
    const page: Page<T> = await json(`${path}?${query}`)
    expect(page.items.length).toBeLessThanOrEqual(limit)
    items.push(...page.items)
    cursor = page.next_cursor
  } while (cursor)
  return items
}

let deliveries = 0

/** An attempt as the queue consumer records it, written straight to D1. */
async function addDelivery(endpointId: string, fields: Partial<Delivery> = {}): Promise<Delivery> {
  deliveries += 1
  const delivery: Delivery = {
    id: `whd_${String(deliveries).padStart(4, '0')}`,
    event: 'report.created',
    message_id: `msg_${deliveries}`,
    attempt: 1,
    status_code: 200,
    error: null,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, deliveries)).toISOString(),
    outcome: 'delivered',
    ...fields,
  }
  await env.DB.prepare(
    `INSERT INTO webhook_deliveries
       (id, endpoint_id, event, message_id, attempt, status_code, error, outcome, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      delivery.id,
      endpointId,
      delivery.event,
      delivery.message_id,
      delivery.attempt,
      delivery.status_code,
      delivery.error,
      delivery.outcome,
      delivery.at,
    )
    .run()
  return delivery
}

/** Every row of both tables, to show that a refused request changed nothing. */
async function stored() {
  const [endpoints, attempts] = await env.DB.batch([
    env.DB.prepare('SELECT * FROM webhook_endpoints ORDER BY id'),
    env.DB.prepare('SELECT * FROM webhook_deliveries ORDER BY id'),
  ])
  return { endpoints: endpoints?.results, attempts: attempts?.results }
}

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM webhook_endpoints').run()
})

describe('registering a webhook endpoint', () => {
  it('answers 201 with the endpoint and a Standard Webhooks secret, recording who added it', async () => {
    const before = Date.now()
    const created = await newEndpoint({ events: ['correction.published', 'report.created'] })
    expect(created).toEqual({
      id: expect.stringMatching(/^whk_[\w-]{22}$/),
      url: HOOK,
      events: ['correction.published', 'report.created'],
      created_at: expect.any(String),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+={0,2}$/),
    })
    expect(new Date(created.created_at).toISOString()).toBe(created.created_at)
    expect(Date.parse(created.created_at)).toBeGreaterThanOrEqual(before - 1)
    const key = Uint8Array.from(atob(created.secret.slice('whsec_'.length)), (c) => c.charCodeAt(0))
    expect(key.length).toBeGreaterThanOrEqual(24)
    expect(key.length).toBeLessThanOrEqual(64)
    const row = await env.DB.prepare(
      'SELECT secret, created_by FROM webhook_endpoints WHERE id = ?',
    )
      .bind(created.id)
      .first<{ secret: string; created_by: string }>()
    expect(row).toEqual({ secret: created.secret, created_by: 'admin' })
    expect((await newEndpoint()).secret).not.toBe(created.secret)
  })

  it('records an admin editor by name', async () => {
    const admin = await createEditor('admin', 'Rosa Parks')
    const response = await register({ url: HOOK, events: ['report.updated'] }, admin.token)
    expect(response.status).toBe(201)
    const { id } = (await response.json()) as Endpoint
    const row = await env.DB.prepare('SELECT created_by FROM webhook_endpoints WHERE id = ?')
      .bind(id)
      .first<{ created_by: string }>()
    expect(row?.created_by).toBe('Rosa Parks')
  })

  it('never shows the secret again, in the list or the endpoint', async () => {
    const { secret, ...endpoint } = await newEndpoint()
    const one = await asEditor(`/v1/admin/webhooks/${endpoint.id}`)
    expect(one.status).toBe(200)
    const oneText = await one.text()
    expect(JSON.parse(oneText)).toEqual(endpoint)
    const list = await asEditor('/v1/admin/webhooks')
    const listText = await list.text()
    expect(JSON.parse(listText)).toEqual({ items: [endpoint], next_cursor: null })
    for (const text of [oneText, listText]) {
      expect(text).not.toContain(secret.slice('whsec_'.length))
      expect(text).not.toContain('secret')
    }
  })

  it('accepts https anywhere and http on loopback, storing the URL as sent', async () => {
    for (const url of [
      'http://127.0.0.1:9/x',
      SLACK,
      'http://localhost:8787/hooks',
      'http://[::1]:3000/',
      'http://127.255.0.1',
      'HTTPS://Tools.News.Example/hook?x=1#frag',
      'https://[2001:db8::1]/hook',
      `https://news.example/${'a'.repeat(2048 - 'https://news.example/'.length)}`,
    ]) {
      const response = await register({ url, events: ['report.created'] })
      expect(response.status, url).toBe(201)
      const { id } = (await response.json()) as Endpoint
      expect((await json<Endpoint>(`/v1/admin/webhooks/${id}`)).url).toBe(url)
    }
  })

  it('refuses other schemes, relative URLs, credentials, http off loopback and long URLs', async () => {
    for (const url of [
      'ftp://files.example/hook',
      'javascript:alert(1)',
      'data:text/plain,hook',
      '/v1/hooks',
      'hooks.example/x',
      'http://example.com/hook',
      'http://news.example/plain-http',
      'http://127.0.0.1.nip.io/hook',
      'http://localhost.evil.example/hook',
      'http://[::2]/hook',
      'https://user:pass@hooks.example/x',
      'https://token@hooks.example/x',
      'http://user:pass@127.0.0.1/x',
      'https://',
      '',
      ' https://hooks.example/x',
      'https://hooks.example/a b',
      `https://news.example/${'a'.repeat(2049 - 'https://news.example/'.length)}`,
    ]) {
      const problem = await expectProblem(
        await register({ url, events: ['report.created'] }),
        400,
        'validation_failed',
      )
      expect(problem.errors, url).toEqual([{ path: 'url', message: expect.any(String) }])
    }
    expect((await stored()).endpoints).toEqual([])
  })

  it('takes one or more distinct known events', async () => {
    const all = await newEndpoint({ events: [...EVENT_TYPES].reverse() })
    expect(all.events).toEqual([...EVENT_TYPES].reverse())
    const cases: [unknown, string][] = [
      [[], 'events'],
      [['report.created', 'report.created'], 'events'],
      [['report.deleted'], 'events.0'],
      [['report.created', 'Report.Updated'], 'events.1'],
      ['report.created', 'events'],
      [null, 'events'],
      [[42], 'events.0'],
    ]
    for (const [events, path] of cases) {
      const problem = await expectProblem(
        await register({ url: HOOK, events }),
        400,
        'validation_failed',
      )
      expect(
        problem.errors?.map((error) => error.path),
        JSON.stringify(events),
      ).toEqual([path])
    }
    await expectProblem(await register({ url: HOOK }), 400, 'validation_failed')
    expect((await stored()).endpoints).toHaveLength(1)
  })

  it('refuses malformed JSON and fields of the wrong type', async () => {
    const malformed = await expectProblem(
      await asEditor('/v1/admin/webhooks', {
        body: '{"url": "https://hooks.example/x", "events": [',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'validation_failed',
    )
    expect(malformed.errors).toEqual([{ path: '(body)', message: 'malformed JSON' }])
    for (const body of [
      { url: 42, events: ['report.created'] },
      { url: [HOOK], events: ['report.created'] },
      { url: HOOK, events: { 0: 'report.created' } },
      [HOOK, ['report.created']],
      null,
      'https://hooks.example/x',
    ]) {
      await expectProblem(await register(body), 400, 'validation_failed')
    }
    expect((await stored()).endpoints).toEqual([])
  })

  it('takes JSON of any JSON media type, and refuses others with 415 and large bodies with 413', async () => {
    const body = JSON.stringify({ url: HOOK, events: ['report.created'] })
    for (const type of ['application/json ; charset=utf-8', 'application/webhook+json']) {
      const response = await asEditor('/v1/admin/webhooks', {
        body,
        headers: { 'content-type': type },
      })
      expect(response.status, type).toBe(201)
    }
    const before = await stored()
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      await expectProblem(
        await asEditor('/v1/admin/webhooks', { body, headers: { 'content-type': type } }),
        415,
        'unsupported_media_type',
      )
    }
    const huge = { url: HOOK, events: ['report.created'], note: 'x'.repeat(64 * 1024) }
    await expectProblem(await register(huge), 413, 'payload_too_large')
    expect(await stored()).toEqual(before)
  })

  it('keeps at most 20 endpoints, even when admins add them at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, n) =>
        register({ url: `${HOOK}/${n}`, events: ['report.created'] }),
      ),
    )
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(20)
    const refused = answers.filter((answer) => answer.status !== 201)
    expect(refused).toHaveLength(5)
    for (const answer of refused) await expectProblem(answer, 409, 'conflict')
    const before = await stored()
    expect(before.endpoints).toHaveLength(20)
    await expectProblem(await register({ url: HOOK, events: ['report.created'] }), 409, 'conflict')
    expect(await stored()).toEqual(before)
    const [first] = (await json<Page<Endpoint>>('/v1/admin/webhooks?limit=1')).items
    expect((await asEditor(`/v1/admin/webhooks/${first!.id}`, { method: 'DELETE' })).status).toBe(
      204,
    )
    await newEndpoint()
  })
})

describe('listing and reading webhook endpoints', () => {
  it('lists newest first, in pages that neither skip nor repeat', async () => {
    const made: (Endpoint & { secret: string })[] = []
    for (let n = 0; n < 7; n++) made.push(await newEndpoint({ url: `${HOOK}/${n}` }))
    // Three share a moment, so that the id decides between them.
    const moments = ['01', '05', '03', '03', '03', '02', '04']
    for (const [n, endpoint] of made.entries()) {
      endpoint.created_at = `2026-01-01T00:00:${moments[n]}.000Z`
      await env.DB.prepare('UPDATE webhook_endpoints SET created_at = ? WHERE id = ?')
        .bind(endpoint.created_at, endpoint.id)
        .run()
    }
    const expected = [...made]
      // Newest first as SQLite compares text: by code unit, not by locale.
      .sort((a, b) =>
        a.created_at === b.created_at
          ? a.id < b.id
            ? 1
            : -1
          : a.created_at < b.created_at
            ? 1
            : -1,
      )
      .map(({ id }) => id)
    for (const limit of [1, 2, 3, 7, 100]) {
      const items = await allPages<Endpoint>('/v1/admin/webhooks', limit)
      expect(
        items.map(({ id }) => id),
        `limit ${limit}`,
      ).toEqual(expected)
    }
    const first = await json<Page<Endpoint>>('/v1/admin/webhooks?limit=7')
    expect(first.next_cursor).toBeNull()
    const { secret: _secret, ...newest } = made[1]!
    expect(first.items[0]).toEqual(newest)
  })

  it('keeps paging stable while endpoints are added', async () => {
    const made: string[] = []
    for (let n = 0; n < 5; n++) made.push((await newEndpoint({ url: `${HOOK}/${n}` })).id)
    const seen: string[] = []
    let page = await json<Page<Endpoint>>('/v1/admin/webhooks?limit=2')
    seen.push(...page.items.map(({ id }) => id))
    while (page.next_cursor) {
      await newEndpoint({ url: `${HOOK}/later` })
      page = await json(`/v1/admin/webhooks?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`)
      seen.push(...page.items.map(({ id }) => id))
    }
    expect(seen).toHaveLength(5)
    expect(new Set(seen)).toEqual(new Set(made))
  })

  it('refuses a limit outside 1..100 and a cursor it did not issue', async () => {
    await newEndpoint()
    await newEndpoint()
    for (const limit of ['0', '101', '-1', '2.5', 'ten', '']) {
      const problem = await expectProblem(
        await asEditor(`/v1/admin/webhooks?limit=${limit}`),
        400,
        'validation_failed',
      )
      expect(problem.errors?.[0]?.path, limit).toBe('limit')
    }
    expect((await json<Page<Endpoint>>('/v1/admin/webhooks?limit=100')).items).toHaveLength(2)
    await createEditor('editor')
    await createEditor('editor')
    const editors = await json<Page<unknown>>('/v1/admin/editors?limit=1')
    expect(editors.next_cursor).not.toBeNull()
    for (const cursor of [editors.next_cursor!, 'bm90LW91cnM', '%%%', 'e30']) {
      const problem = await expectProblem(
        await asEditor(`/v1/admin/webhooks?cursor=${encodeURIComponent(cursor)}`),
        400,
        'validation_failed',
      )
      expect(problem.errors).toEqual([{ path: 'cursor', message: 'unknown cursor' }])
    }
  })

  it('answers 404 for an id it does not know and 400 for one it could not have issued', async () => {
    await newEndpoint()
    await expectProblem(await asEditor('/v1/admin/webhooks/whk_none'), 404, 'not_found')
    await expectProblem(
      await asEditor(`/v1/admin/webhooks/${'x'.repeat(65)}`),
      400,
      'validation_failed',
    )
  })
})

describe('removing a webhook endpoint', () => {
  it('answers 204, then 404, and takes its deliveries with it', async () => {
    const gone = await newEndpoint()
    const kept = await newEndpoint({ url: SLACK })
    await addDelivery(gone.id)
    await addDelivery(gone.id, { outcome: 'retrying', status_code: 500, error: 'HTTP 500' })
    const survivor = await addDelivery(kept.id)
    const response = await asEditor(`/v1/admin/webhooks/${gone.id}`, { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    await expectProblem(await asEditor(`/v1/admin/webhooks/${gone.id}`), 404, 'not_found')
    await expectProblem(
      await asEditor(`/v1/admin/webhooks/${gone.id}`, { method: 'DELETE' }),
      404,
      'not_found',
    )
    await expectProblem(
      await asEditor(`/v1/admin/webhooks/${gone.id}/deliveries`),
      404,
      'not_found',
    )
    const { attempts } = await stored()
    expect(attempts?.map((row) => (row as { id: string }).id)).toEqual([survivor.id])
    expect((await json<Page<Endpoint>>('/v1/admin/webhooks')).items).toEqual(
      [kept].map(({ secret: _secret, ...endpoint }) => endpoint),
    )
  })

  it('has D1 enforce the deliveries’ foreign key', async () => {
    await expect(addDelivery('whk_none')).rejects.toThrow(/FOREIGN KEY/)
  })
})

describe('an endpoint’s deliveries', () => {
  it('lists attempts newest first by time then id, in pages, with their nulls', async () => {
    const endpoint = await newEndpoint()
    const other = await newEndpoint()
    const at = '2026-02-01T10:00:00.000Z'
    const made = [
      await addDelivery(endpoint.id, {
        attempt: 1,
        status_code: null,
        error: 'timed out after 10 s',
        outcome: 'retrying',
      }),
      await addDelivery(endpoint.id, { attempt: 2, status_code: 503, error: 'HTTP 503', at }),
      await addDelivery(endpoint.id, { attempt: 3, outcome: 'failed', status_code: 500, at }),
      await addDelivery(endpoint.id, { event: 'supporter.started', message_id: 'msg_b' }),
    ]
    await addDelivery(other.id)
    const expected = [made[2], made[1], made[3], made[0]]
    for (const limit of [1, 3, 25]) {
      const items = await allPages<Delivery>(`/v1/admin/webhooks/${endpoint.id}/deliveries`, limit)
      expect(items, `limit ${limit}`).toEqual(expected)
    }
  })

  it('pages 25 by default and refuses bad limits and foreign cursors', async () => {
    const endpoint = await newEndpoint()
    const other = await newEndpoint()
    for (let n = 0; n < 27; n++) await addDelivery(endpoint.id)
    await addDelivery(other.id)
    await addDelivery(other.id)
    const path = `/v1/admin/webhooks/${endpoint.id}/deliveries`
    const first = await json<Page<Delivery>>(path)
    expect(first.items).toHaveLength(25)
    expect(first.next_cursor).not.toBeNull()
    const rest = await json<Page<Delivery>>(`${path}?cursor=${first.next_cursor}`)
    expect(rest).toEqual({ items: expect.any(Array), next_cursor: null })
    expect(rest.items).toHaveLength(2)
    await expectProblem(await asEditor(`${path}?limit=101`), 400, 'validation_failed')
    await expectProblem(await asEditor(`${path}?limit=0`), 400, 'validation_failed')
    // Cursors of other lists: the endpoints', another endpoint's attempts; and this one's
    // cursor on the endpoints' list.
    const endpoints = await json<Page<Endpoint>>('/v1/admin/webhooks?limit=1')
    const theirs = await json<Page<Delivery>>(`/v1/admin/webhooks/${other.id}/deliveries?limit=1`)
    for (const cursor of [endpoints.next_cursor, theirs.next_cursor]) {
      expect(cursor).not.toBeNull()
      const problem = await expectProblem(
        await asEditor(`${path}?cursor=${cursor}`),
        400,
        'validation_failed',
      )
      expect(problem.errors).toEqual([{ path: 'cursor', message: 'unknown cursor' }])
    }
    await expectProblem(
      await asEditor(`/v1/admin/webhooks?cursor=${first.next_cursor}`),
      400,
      'validation_failed',
    )
  })

  it('answers an empty page for an endpoint without attempts and 404 for an unknown one', async () => {
    const endpoint = await newEndpoint()
    expect(await json(`/v1/admin/webhooks/${endpoint.id}/deliveries`)).toEqual({
      items: [],
      next_cursor: null,
    })
    await expectProblem(await asEditor('/v1/admin/webhooks/whk_none/deliveries'), 404, 'not_found')
  })
})

describe('who may manage webhooks', () => {
  const operations = (id: string): [string, string, unknown?][] => [
    ['POST', '/v1/admin/webhooks', { url: HOOK, events: ['report.created'] }],
    ['GET', '/v1/admin/webhooks'],
    ['GET', `/v1/admin/webhooks/${id}`],
    ['GET', `/v1/admin/webhooks/${id}/deliveries`],
    ['DELETE', `/v1/admin/webhooks/${id}`],
  ]

  it('answers 401 with a Bearer challenge without a valid token, and changes nothing', async () => {
    const { id } = await newEndpoint()
    await addDelivery(id)
    const before = await stored()
    for (const [method, path, json] of operations(id)) {
      for (const authorization of [undefined, 'Bearer rdk_not-a-token', 'Basic YWRtaW46YWRtaW4=']) {
        const response = await call(path, {
          method,
          json,
          headers: authorization ? { authorization } : {},
        })
        await expectProblem(response, 401, 'unauthorized')
        expect(response.headers.get('www-authenticate'), `${method} ${path}`).toMatch(/^Bearer /)
      }
    }
    expect(await stored()).toEqual(before)
  })

  it('answers 403 to an editor, and changes nothing', async () => {
    const editor = await createEditor('editor')
    const { id } = await newEndpoint()
    await addDelivery(id)
    const before = await stored()
    for (const [method, path, json] of operations(id)) {
      const response = await asEditor(path, { method, json }, editor.token)
      await expectProblem(response, 403, 'forbidden')
    }
    expect(await stored()).toEqual(before)
  })
})
