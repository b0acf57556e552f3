import { describe, expect, it } from 'vitest'
import { moveTo } from '../helpers/editors'
import { count, reportInput } from '../helpers/factories'
import { ADMIN, call, env, expectProblem, SITE } from '../helpers/http'

interface Created {
  id: string
  submission_id: string
  status: string
  submissions: number
  status_url: string
}

async function submit(body: unknown, headers: Record<string, string> = {}, ip?: string) {
  return call('/v1/reports', { json: body, headers, ...(ip ? { ip } : {}) })
}

async function created(body: unknown, headers: Record<string, string> = {}): Promise<Created> {
  const response = await submit(body, headers)
  expect(response.status).toBe(201)
  return response.json()
}

async function detail(id: string) {
  const response = await call(`/v1/admin/reports/${id}`, { headers: { authorization: ADMIN } })
  expect(response.status).toBe(200)
  return response.json() as Promise<
    Record<string, unknown> & { submission_list: Record<string, unknown>[] }
  >
}

/** Asserts that a refused request stored nothing at all. */
async function expectNothingStoredBy(request: () => Promise<Response>) {
  const before = [await count(env.DB, 'reports'), await count(env.DB, 'submissions')]
  const response = await request()
  expect([await count(env.DB, 'reports'), await count(env.DB, 'submissions')]).toEqual(before)
  return response
}

describe('POST /v1/reports: a reader reports an error', () => {
  it('stores the report and answers with its status link', async () => {
    const input = reportInput({
      context_before: 'In its final session, ',
      context_after: ' and playgrounds.',
      comment: 'The budget document says 12 million.',
      kind: 'factual',
      title: 'City budget passes',
      lang: 'en-gb',
      email: 'reader@example.org',
    })
    const response = await submit(input)
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body: Created = await response.json()
    expect(body).toEqual({
      id: expect.stringMatching(/^rep_/),
      submission_id: expect.stringMatching(/^sub_/),
      status: 'new',
      submissions: 1,
      status_url: expect.stringMatching(
        /^https:\/\/api\.news\.example\/v1\/submissions\/sub_[\w-]+\?token=[\w-]{40,}$/,
      ),
    })
    const report = await detail(body.id)
    expect(report).toMatchObject({
      url: input.url,
      quote: input.quote,
      context_before: 'In its final session, ',
      context_after: ' and playgrounds.',
      kind: 'factual',
      title: 'City budget passes',
      lang: 'en-GB',
      status: 'new',
      submissions: 1,
      assignee: null,
      duplicate_of: null,
      correction_id: null,
    })
    expect(report.submission_list).toEqual([
      expect.objectContaining({
        id: body.submission_id,
        suggestion: input.suggestion,
        comment: 'The budget document says 12 million.',
        email: 'reader@example.org',
      }),
    ])
  })

  it('stores the URL normalised', async () => {
    const body = await created(
      reportInput({
        url: 'HTTPS://NEWS.EXAMPLE:443/2026/story?utm_source=tw&id=7&fbclid=abc&page=2#top',
      }),
    )
    expect((await detail(body.id)).url).toBe('https://news.example/2026/story?id=7&page=2')
  })

  it('defaults the kind to typo with a quote and to other without one', async () => {
    const withQuote = await created(reportInput())
    expect((await detail(withQuote.id)).kind).toBe('typo')
    const withoutQuote = await created({
      url: `${SITE}/a`,
      comment: 'The photo caption names the wrong street.',
    })
    expect((await detail(withoutQuote.id)).kind).toBe('other')
  })

  it('trims the quote and treats empty optional fields as not sent', async () => {
    const body = await created(
      reportInput({ quote: '  \n the words \t ', comment: '   ', email: null, title: '' }),
    )
    const report = await detail(body.id)
    expect(report.quote).toBe('the words')
    expect(report.title).toBeNull()
    expect(report.submission_list[0]).toMatchObject({ comment: null, email: null })
  })

  it('accepts a report from an allowed browser origin with CORS headers', async () => {
    const response = await submit(reportInput(), { origin: SITE })
    expect(response.status).toBe(201)
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE)
    expect(response.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })
})

describe('grouping of the same quote on the same article', () => {
  it('joins two readers to one report and keeps both messages', async () => {
    const url = `${SITE}/2026/11/bridge-closure`
    const first = await created({
      url,
      quote: 'The bridge will close on Monday.',
      comment: 'It is Tuesday.',
      email: 'a@example.org',
    })
    const second = await created({
      url: `${url}?utm_source=newsletter#para-3`,
      quote: '  the BRIDGE will   close on monday ',
      suggestion: 'The bridge will close on Tuesday.',
      email: 'b@example.org',
    })
    expect(second.id).toBe(first.id)
    expect(second.submission_id).not.toBe(first.submission_id)
    expect(second.submissions).toBe(2)
    const report = await detail(first.id)
    expect(report.submissions).toBe(2)
    expect(report.quote).toBe('The bridge will close on Monday.')
    expect(report.submission_list).toEqual([
      expect.objectContaining({
        comment: 'It is Tuesday.',
        suggestion: null,
        email: 'a@example.org',
      }),
      expect.objectContaining({
        comment: null,
        suggestion: 'The bridge will close on Tuesday.',
        email: 'b@example.org',
        quote: 'the BRIDGE will   close on monday',
      }),
    ])
  })

  it('groups quotes that differ only in punctuation and Unicode form', async () => {
    const url = `${SITE}/2026/11/cafe`
    const first = await created({ url, quote: 'Café “Zur Straße” opened' })
    const second = await created({ url, quote: 'cafe\u0301 zur STRASSE opened!' })
    expect(second.id).toBe(first.id)
  })

  it('keeps different quotes, and the same quote on other articles, apart', async () => {
    const a = await created({ url: `${SITE}/one`, quote: 'same words here' })
    const b = await created({ url: `${SITE}/two`, quote: 'same words here' })
    const c = await created({ url: `${SITE}/one`, quote: 'other words here' })
    expect(new Set([a.id, b.id, c.id]).size).toBe(3)
  })

  it('never merges comment-only reports', async () => {
    const a = await created({ url: `${SITE}/comments`, comment: 'The map is wrong.' })
    const b = await created({ url: `${SITE}/comments`, comment: 'The date is wrong.' })
    expect(a.id).not.toBe(b.id)
  })

  it('opens a new report when the matching one is closed', async () => {
    const url = `${SITE}/closed`
    const first = await created({ url, quote: 'reopened quote' })
    await moveTo(first.id, 'fixed')
    const second = await created({ url, quote: 'Reopened quote.' })
    expect(second.id).not.toBe(first.id)
    expect(second.submissions).toBe(1)
  })

  it('joins concurrent readers of the same quote to one report', async () => {
    const url = `${SITE}/2026/11/race`
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        created({ url, quote: i % 2 ? 'The Race' : 'the race.', comment: `reader ${i}` }),
      ),
    )
    expect(new Set(answers.map((answer) => answer.id)).size).toBe(1)
    const report = await detail(answers[0]!.id)
    expect(report.submissions).toBe(12)
    expect(report.submission_list).toHaveLength(12)
  })
})

describe('the honeypot', () => {
  it('answers like success but stores spam that never joins real reports', async () => {
    const url = `${SITE}/2026/11/honeypot`
    const real = await created({ url, quote: 'honey words' })
    const response = await submit({ url, quote: 'honey words', website: 'http://spam.example' })
    expect(response.status).toBe(201)
    const spam: Created = await response.json()
    expect(Object.keys(spam)).toEqual([
      'id',
      'submission_id',
      'status',
      'submissions',
      'status_url',
    ])
    expect(spam.status).toBe('new')
    expect(spam.submissions).toBe(1)
    expect(spam.id).not.toBe(real.id)
    expect((await detail(spam.id)).status).toBe('spam')
    expect((await detail(real.id)).submissions).toBe(1)
    const list = await call('/v1/admin/reports?limit=100', { headers: { authorization: ADMIN } })
    const ids = ((await list.json()) as { items: { id: string }[] }).items.map((item) => item.id)
    expect(ids).toContain(real.id)
    expect(ids).not.toContain(spam.id)
  })
})

describe('privacy', () => {
  it('never stores the reader IP and keeps the email only on its own submission', async () => {
    const ip = '198.51.100.77'
    const body = await created(reportInput({ email: 'private@example.org' }), {
      'cf-connecting-ip': ip,
    })
    const dump = JSON.stringify([
      await env.DB.prepare('SELECT * FROM reports').all(),
      await env.DB.prepare('SELECT * FROM submissions').all(),
      await env.DB.prepare('SELECT * FROM rate_limit_hits').all(),
    ])
    expect(dump).not.toContain(ip)
    const submission = await env.DB.prepare('SELECT ip_hash, email FROM submissions WHERE id = ?')
      .bind(body.submission_id)
      .first<{ ip_hash: string; email: string }>()
    expect(submission?.ip_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(submission?.email).toBe('private@example.org')
    const reportRow = JSON.stringify(
      await env.DB.prepare('SELECT * FROM reports WHERE id = ?').bind(body.id).first(),
    )
    expect(reportRow).not.toContain('private@example.org')
  })

  it('does not store the status token in the clear', async () => {
    const body = await created(reportInput())
    const token = new URL(body.status_url).searchParams.get('token')!
    const row = await env.DB.prepare('SELECT * FROM submissions WHERE id = ?')
      .bind(body.submission_id)
      .first()
    expect(JSON.stringify(row)).not.toContain(token)
  })

  it('answers 503 not_configured when IP_HASH_SALT is missing, storing nothing', async () => {
    const response = await expectNothingStoredBy(() =>
      call('/v1/reports', { json: reportInput(), env: { IP_HASH_SALT: undefined } }),
    )
    await expectProblem(response, 503, 'not_configured')
  })
})

describe('hostile and unusual text', () => {
  it('round-trips SQL-looking and HTML text unchanged', async () => {
    const hostile = {
      quote: `Robert'); DROP TABLE reports;-- <script>alert("x")</script>`,
      comment: `' OR 1=1; -- <img src=x onerror=alert(1)> \\ "quoted" end`,
      suggestion: '${7*7} {{7*7}} %s %n',
      title: '</title><svg onload=alert(1)>',
    }
    const body = await created(reportInput(hostile))
    const report = await detail(body.id)
    expect(report.quote).toBe(hostile.quote)
    expect(report.title).toBe(hostile.title)
    expect(report.submission_list[0]).toMatchObject({
      comment: hostile.comment,
      suggestion: hostile.suggestion,
    })
    expect(await count(env.DB, 'reports')).toBeGreaterThan(0)
  })

  it('keeps Unicode exactly: scripts, emoji, RTL and combining marks', async () => {
    const quote = 'Київ — ¡Hola! 東京 😀👩🏽‍💻 مرحبا e\u0301'
    const body = await created(reportInput({ quote, comment: 'Коментар читача 🙂', lang: 'uk' }))
    const report = await detail(body.id)
    expect(report.quote).toBe(quote)
    expect(report.lang).toBe('uk')
    expect(report.submission_list[0]!.comment).toBe('Коментар читача 🙂')
  })

  it('removes control characters and bidirectional overrides, and mends lone surrogates', async () => {
    const body = await created(
      reportInput({
        quote: 'The \u202emayor\u202d said\u0000 so',
        comment: 'Line one\r\n\tLine two\u0007\u0085 \ud800 end \udfff',
        title: '\u202eOFFICIAL RETRACTION\u001b[31m',
      }),
    )
    const report = await detail(body.id)
    expect(report.quote).toBe('The mayor said so')
    expect(report.title).toBe('OFFICIAL RETRACTION[31m')
    expect(report.submission_list[0]!.comment).toBe('Line one\r\n\tLine two \ufffd end \ufffd')
  })

  it('counts lengths after cleaning: 1000 characters and 50 controls fit in a quote', async () => {
    const quote = `${'a\u0001'.repeat(50)}${'b'.repeat(950)}`
    const report = await detail((await created(reportInput({ quote }))).id)
    expect(report.quote).toBe(`${'a'.repeat(50)}${'b'.repeat(950)}`)
  })

  it('counts length in code points: 1000 emoji fit in a quote, 1001 do not', async () => {
    expect((await submit(reportInput({ quote: '😀'.repeat(1000) }))).status).toBe(201)
    const problem = await expectProblem(
      await submit(reportInput({ quote: '😀'.repeat(1001) })),
      400,
      'validation_failed',
    )
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'quote' })])
  })
})

describe('bad input is refused with problem+json and stores nothing', () => {
  const tooLong = (n: number) => 'x'.repeat(n + 1)

  it.each([
    ['a missing url', { quote: 'x' }, 'url'],
    ['a relative url', { url: '/2026/story', quote: 'x' }, 'url'],
    ['a javascript: url', { url: 'javascript:alert(1)', quote: 'x' }, 'url'],
    ['a url with credentials', { url: 'https://u:p@news.example/a', quote: 'x' }, 'url'],
    ['neither quote nor comment', { url: `${SITE}/a` }, 'quote'],
    ['a quote of white space only', { url: `${SITE}/a`, quote: '   ' }, 'quote'],
    ['a number as quote', { url: `${SITE}/a`, quote: 42 }, 'quote'],
    ['an array as comment', { url: `${SITE}/a`, comment: ['a'] }, 'comment'],
    ['an object as url', { url: { href: SITE }, quote: 'x' }, 'url'],
    ['an over-long quote', { url: `${SITE}/a`, quote: tooLong(1000) }, 'quote'],
    [
      'an over-long context_before',
      { url: `${SITE}/a`, quote: 'x', context_before: tooLong(300) },
      'context_before',
    ],
    [
      'an over-long context_after',
      { url: `${SITE}/a`, quote: 'x', context_after: tooLong(300) },
      'context_after',
    ],
    [
      'an over-long suggestion',
      { url: `${SITE}/a`, quote: 'x', suggestion: tooLong(2000) },
      'suggestion',
    ],
    ['an over-long comment', { url: `${SITE}/a`, comment: tooLong(2000) }, 'comment'],
    ['an over-long title', { url: `${SITE}/a`, quote: 'x', title: tooLong(300) }, 'title'],
    ['an over-long url', { url: `${SITE}/${tooLong(2048)}`, quote: 'x' }, 'url'],
    ['a bad email', { url: `${SITE}/a`, quote: 'x', email: 'not-an-email' }, 'email'],
    [
      'an email with a display name',
      { url: `${SITE}/a`, quote: 'x', email: 'Reader <r@example.org>' },
      'email',
    ],
    ['a bad kind', { url: `${SITE}/a`, quote: 'x', kind: 'rant' }, 'kind'],
    ['a kind of the wrong type', { url: `${SITE}/a`, quote: 'x', kind: 1 }, 'kind'],
    ['a bad language tag', { url: `${SITE}/a`, quote: 'x', lang: 'not a tag!' }, 'lang'],
    [
      'a language tag over 35 characters',
      { url: `${SITE}/a`, quote: 'x', lang: `en-${'a1b2c3d4-'.repeat(4)}x` },
      'lang',
    ],
  ])('refuses %s', async (_, body, path) => {
    const response = await expectNothingStoredBy(() => submit(body))
    const problem = await expectProblem(response, 400, 'validation_failed')
    expect(problem.errors?.map((error) => error.path)).toContain(path)
    expect(problem.type).toMatch(/\/docs#problem-validation_failed$/)
    expect(problem.title).toBeTruthy()
  })

  it.each([
    ['malformed JSON', '{"url": "https://news.example/a", "quote": '],
    ['a JSON array', '[1, 2, 3]'],
    ['JSON null', 'null'],
    ['a JSON string', '"quote"'],
    ['an empty body', ''],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
  ])('answers 400 to %s', async (_, body) => {
    const response = await expectNothingStoredBy(() =>
      call('/v1/reports', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }),
    )
    await expectProblem(response, 400, 'validation_failed')
  })

  it.each([
    ['text/plain (sent cross-origin without a preflight)', 'text/plain;charset=UTF-8'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['no content type', undefined],
  ])('answers 415 to a body sent as %s', async (_, type) => {
    const headers: Record<string, string> = type ? { 'content-type': type } : {}
    const response = await expectNothingStoredBy(() =>
      call('/v1/reports', { method: 'POST', body: JSON.stringify(reportInput()), headers }),
    )
    await expectProblem(response, 415, 'unsupported_media_type')
  })

  it.each([
    'application/json ; charset=utf-8',
    'Application/JSON;charset="utf-8"',
    '  application/json',
    'application/vnd.news_desk+json; profile=report',
    'application/merge-patch+json',
  ])('takes %s as JSON, by the one media-type check', async (type) => {
    const response = await call('/v1/reports', {
      method: 'POST',
      body: JSON.stringify(reportInput()),
      headers: { 'content-type': type },
    })
    expect(response.status).toBe(201)
  })

  it('answers 415 before the origin, rate-limit and JSON checks to a media type it refuses', async () => {
    const response = await call('/v1/reports', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/jsonp', origin: 'https://evil.example' },
      env: { RATE_LIMIT_REPORTS_PER_MINUTE: '1' },
    })
    await expectProblem(response, 415, 'unsupported_media_type')
  })

  it('answers 413 to a body over 64 KiB, declared or streamed', async () => {
    const big = JSON.stringify(reportInput({ comment: 'x'.repeat(70 * 1024) }))
    await expectProblem(
      await expectNothingStoredBy(() => submit(JSON.parse(big))),
      413,
      'payload_too_large',
    )
    const chunks = new TextEncoder().encode(big)
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < chunks.length; i += 8192) controller.enqueue(chunks.slice(i, i + 8192))
        controller.close()
      },
    })
    const streamed = await expectNothingStoredBy(() =>
      call('/v1/reports', {
        method: 'POST',
        body: stream,
        headers: { 'content-type': 'application/json' },
      }),
    )
    await expectProblem(streamed, 413, 'payload_too_large')
  })

  it('answers 403 origin_not_allowed to a browser on a foreign site', async () => {
    const response = await expectNothingStoredBy(() =>
      submit(reportInput(), { origin: 'https://evil.example' }),
    )
    const problem = await expectProblem(response, 403, 'origin_not_allowed')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(problem.detail).toBeTruthy()
  })

  it('answers 403 to the opaque origin "null" of sandboxed frames', async () => {
    await expectProblem(await submit(reportInput(), { origin: 'null' }), 403, 'origin_not_allowed')
  })

  it('answers 422 origin_not_allowed to an article URL on a foreign site', async () => {
    const response = await expectNothingStoredBy(() =>
      submit(reportInput({ url: 'https://evil.example/a' })),
    )
    const problem = await expectProblem(response, 422, 'origin_not_allowed')
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'url' })])
  })

  it('treats a look-alike host as foreign', async () => {
    await expectProblem(
      await submit(reportInput({ url: 'https://news.example.evil.example/a' })),
      422,
      'origin_not_allowed',
    )
    await expectProblem(
      await submit(reportInput({ url: 'http://news.example/a' })),
      422,
      'origin_not_allowed',
    )
  })

  it('answers in the contract order when several errors apply', async () => {
    const foreign = { origin: 'https://evil.example', 'content-type': 'text/plain' }
    const big = JSON.stringify({ comment: 'x'.repeat(70 * 1024) })
    await expectProblem(
      await call('/v1/reports', { method: 'POST', body: big, headers: foreign }),
      413,
      'payload_too_large',
    )
    await expectProblem(
      await call('/v1/reports', { method: 'POST', body: '{', headers: foreign }),
      415,
      'unsupported_media_type',
    )
    await expectProblem(
      await call('/v1/reports', {
        method: 'POST',
        body: '{',
        headers: { ...foreign, 'content-type': 'application/json' },
      }),
      403,
      'origin_not_allowed',
    )
    await expectProblem(
      await submit({ url: 'https://evil.example/a', quote: 42 }),
      400,
      'validation_failed',
    )
  })

  it('keeps what was stored before a refused request', async () => {
    const first = await created(reportInput())
    await submit({ url: `${SITE}/a`, quote: 42 })
    await submit(reportInput({ url: 'https://evil.example/x' }))
    const report = await detail(first.id)
    expect(report.submissions).toBe(1)
    expect(report.submission_list).toHaveLength(1)
  })

  it('answers 500 internal without details when the database breaks', async () => {
    const broken = new Proxy(env.DB, {
      get(target, name) {
        if (name === 'batch')
          return () => Promise.reject(new Error('D1_ERROR: no such table: reports: SQLITE_ERROR'))
        const value = Reflect.get(target, name)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const response = await call('/v1/reports', {
      json: reportInput(),
      env: { DB: broken, RATE_LIMIT_REPORTS_PER_MINUTE: '0' },
    })
    const problem = await expectProblem(response, 500, 'internal')
    expect(problem.detail).not.toMatch(/table|SQLITE|D1/)
  })
})
