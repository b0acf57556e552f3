import { createScheduledController } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/http/crypto'
import worker from '../../src/index'
import { asEditor, createEditor, newReport } from '../helpers/editors'
import { call, env } from '../helpers/http'

const APP = 'https://api.news.example'

/** A form post from the app's own page (its Origin), with the session cookie if any. */
function post(path: string, fields: Record<string, string>, cookie?: string, origin = APP) {
  return call(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin,
      ...(cookie ? { cookie } : {}),
    },
  })
}

const page = (path: string, cookie: string) => call(path, { headers: { cookie } })

/** Signs in with `token` and returns the `name=value` of the session cookie. */
async function signIn(token = env.ADMIN_TOKEN!, base = APP): Promise<string> {
  const response = await post(`${base}/admin/sign-in`, { token }, undefined, base)
  expect(response.status).toBe(303)
  expect(response.headers.get('location')).toBe('/admin')
  return response.headers.get('set-cookie')!.split(';')[0]!
}

describe('signing in', () => {
  it('sends a visitor without a session to the sign-in form, under a strict CSP', async () => {
    const response = await call('/admin')
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/admin/sign-in')
    const form = await call('/admin/sign-in')
    expect(form.status).toBe(200)
    const csp = form.headers.get('content-security-policy') ?? ''
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ])
      expect(csp).toContain(directive)
    expect(csp).not.toContain('unsafe-inline')
    const html = await form.text()
    expect(html).toContain('<label for="token">Token</label>')
    expect(html).toContain('>Sign in</button>')
    expect(html).not.toMatch(/<script(?![^>]*src="\/admin\/app\.js")/)
  })

  it('starts a session in an HttpOnly, SameSite=Strict, Secure __Host- cookie for 12 hours', async () => {
    const response = await post('/admin/sign-in', { token: env.ADMIN_TOKEN! })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^__Host-readerdesk_session=[\w-]{43};/)
    expect(cookie).toContain('Max-Age=43200')
    expect(cookie).toContain('Path=/')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).not.toContain('Domain')
    const inbox = await page('/admin', cookie.split(';')[0]!)
    expect(inbox.status).toBe(200)
    expect(await inbox.text()).toContain('>Sign out</button>')
  })

  it('drops Secure and the __Host- prefix on plain-http loopback only', async () => {
    const local = await post(
      'http://127.0.0.1:8787/admin/sign-in',
      { token: env.ADMIN_TOKEN! },
      undefined,
      'http://127.0.0.1:8787',
    )
    const cookie = local.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^readerdesk_session=/)
    expect(cookie).not.toContain('Secure')
    expect(cookie).toContain('HttpOnly')
    const other = await post(
      'http://desk.example/admin/sign-in',
      { token: env.ADMIN_TOKEN! },
      undefined,
      'http://desk.example',
    )
    expect(other.headers.get('set-cookie')).toMatch(/^__Host-readerdesk_session=.*Secure/)
  })

  it('refuses a wrong token with an alert and no cookie', async () => {
    const response = await post('/admin/sign-in', { token: 'rdk_not-a-real-token' })
    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toMatch(/role="alert"[^>]*>This token is not valid/)
  })

  it('stores only the SHA-256 hash of the session id, never the token', async () => {
    const editor = await createEditor('editor', 'Hana Sato')
    const cookie = await signIn(editor.token)
    const id = cookie.split('=')[1]!
    const { results } = await env.DB.prepare('SELECT * FROM editor_sessions').all()
    const stored = JSON.stringify(results)
    expect(stored).toContain(await sha256Hex(id))
    expect(stored).not.toContain(id)
    expect(stored).not.toContain(editor.token)
    expect(stored).not.toContain(await sha256Hex(editor.token))
  })

  it('ends the session at once when the editor’s token is revoked', async () => {
    const editor = await createEditor('editor')
    const cookie = await signIn(editor.token)
    expect((await page('/admin', cookie)).status).toBe(200)
    expect((await asEditor(`/v1/admin/editors/${editor.id}`, { method: 'DELETE' })).status).toBe(
      204,
    )
    const after = await page('/admin', cookie)
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toBe('/admin/sign-in')
    const write = await post('/admin/reports/x/note', { note: 'still here?' }, cookie)
    expect(write.status).toBe(401)
  })

  it('ends the session at Sign out, in D1 and in the browser', async () => {
    const cookie = await signIn()
    const out = await post('/admin/sign-out', {}, cookie)
    expect(out.status).toBe(303)
    expect(out.headers.get('set-cookie')).toMatch(/^__Host-readerdesk_session=;.*Max-Age=0/)
    const hash = await sha256Hex(cookie.split('=')[1]!)
    const row = await env.DB.prepare('SELECT 1 FROM editor_sessions WHERE id_hash = ?')
      .bind(hash)
      .first()
    expect(row).toBeNull()
    expect((await page('/admin', cookie)).status).toBe(303)
  })

  it('lets the hourly job delete expired sessions, and keeps the others', async () => {
    const cookie = await signIn()
    const old = await signIn()
    await env.DB.prepare('UPDATE editor_sessions SET expires_at = ? WHERE id_hash = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), await sha256Hex(old.split('=')[1]!))
      .run()
    expect((await page('/admin', old)).status).toBe(303)
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }),
      env,
    )
    const left = await env.DB.prepare('SELECT id_hash FROM editor_sessions').all<{
      id_hash: string
    }>()
    const hashes = left.results.map((row) => row.id_hash)
    expect(hashes).toContain(await sha256Hex(cookie.split('=')[1]!))
    expect(hashes).not.toContain(await sha256Hex(old.split('=')[1]!))
  })
})

describe('the same-origin rule', () => {
  it('refuses a form posted from another port of the same host', async () => {
    const cookie = await signIn()
    const id = await newReport()
    const response = await post(
      `/admin/reports/${id}/note`,
      { note: 'forged' },
      cookie,
      'https://api.news.example:8443',
    )
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('role="alert"')
    const events = await env.DB.prepare(
      'SELECT count(*) AS n FROM report_events WHERE report_id = ?',
    )
      .bind(id)
      .first<{ n: number }>()
    expect(events?.n).toBe(0)
  })

  it('refuses, without an Origin, anything Sec-Fetch-Site does not call same-origin', async () => {
    const cookie = await signIn()
    for (const site of ['cross-site', 'same-site', undefined]) {
      const response = await call('/admin/sign-out', {
        method: 'POST',
        body: '',
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          ...(site ? { 'sec-fetch-site': site } : {}),
        },
      })
      expect(response.status, String(site)).toBe(403)
    }
    const sameOrigin = await call('/admin/sign-out', {
      method: 'POST',
      body: '',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    })
    expect(sameOrigin.status).toBe(303)
  })

  it('refuses a cross-site sign-in too (no login forgery)', async () => {
    const response = await post(
      '/admin/sign-in',
      { token: env.ADMIN_TOKEN! },
      undefined,
      'https://evil.example',
    )
    expect(response.status).toBe(403)
    expect(response.headers.get('set-cookie')).toBeNull()
  })
})

describe('roles', () => {
  it('shows an editor no admin links and answers the admin pages with 403', async () => {
    const editor = await createEditor('editor')
    const cookie = await signIn(editor.token)
    const inbox = await (await page('/admin', cookie)).text()
    expect(inbox).toContain('href="/admin/stats"')
    for (const path of ['supporters', 'payments', 'tiers', 'editors', 'goal'])
      expect(inbox).not.toContain(`href="/admin/${path}"`)
    for (const path of ['supporters', 'supporters.csv', 'payments', 'tiers', 'editors', 'goal']) {
      const response = await page(`/admin/${path}`, cookie)
      expect(response.status, path).toBe(403)
      expect(await response.text()).toContain('role="alert"')
    }
    const create = await post(
      '/admin/editors',
      { name: 'Eve', email: 'eve@news.example', role: 'admin' },
      cookie,
    )
    expect(create.status).toBe(403)
    expect((await post('/admin/goal', { kind: 'supporters', target: '5' }, cookie)).status).toBe(
      403,
    )
    expect((await post('/admin/goal/remove', {}, cookie)).status).toBe(403)
    expect((await page('/admin/stats', cookie)).status).toBe(200)
  })

  it('gives an admin the supporters’ CSV through the session', async () => {
    const cookie = await signIn()
    const response = await page('/admin/supporters.csv?status=active', cookie)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="supporters.csv"',
    )
    expect((await response.text()).split('\r\n')[0]).toMatch(/^id,email,name,status/)
  })

  it('creates an editor showing the token once, and revokes them', async () => {
    const cookie = await signIn()
    const response = await post(
      '/admin/editors',
      { name: 'Iris Novak', email: 'iris@news.example', role: 'editor' },
      cookie,
    )
    expect(response.status).toBe(201)
    const token = /<p class="token">(rdk_[\w-]+)<\/p>/.exec(await response.text())?.[1]
    expect(token).toBeDefined()
    const list = await (await page('/admin/editors', cookie)).text()
    expect(list).toContain('Iris Novak')
    expect(list).not.toContain(token)
    const id = /\/admin\/editors\/(edt_[\w-]+)\/revoke/.exec(
      list.slice(list.indexOf('Iris Novak')),
    )?.[1]
    expect((await post(`/admin/editors/${id}/revoke`, {}, cookie)).status).toBe(303)
    expect((await asEditor('/v1/admin/reports', {}, token)).status).toBe(401)
  })
})

describe('acting on reports', () => {
  it('moves a report, with its ETag, through the same workflow as the API', async () => {
    const cookie = await signIn()
    const id = await newReport()
    const html = await (await page(`/admin/reports/${id}`, cookie)).text()
    const etag = /name="etag" value="([^"]+)"/.exec(html)?.[1]
    expect(etag).toBeDefined()
    const moved = await post(
      `/admin/reports/${id}/status`,
      { etag: etag!, status: 'triaged' },
      cookie,
    )
    expect(moved.status).toBe(303)
    const detail = (await (await asEditor(`/v1/admin/reports/${id}`)).json()) as {
      status: string
      events: { actor: string }[]
    }
    expect(detail.status).toBe('triaged')
    expect(detail.events[0]?.actor).toBe('admin')
    const refused = await post(
      `/admin/reports/${id}/status`,
      { etag: 'x', status: 'fixed' },
      cookie,
    )
    expect(refused.status).toBe(412)
  })

  it('shows a stale page’s change as a conflict, with the report as it now is', async () => {
    const cookie = await signIn()
    const id = await newReport()
    const html = await (await page(`/admin/reports/${id}`, cookie)).text()
    const etag = /name="etag" value="([^"]+)"/.exec(html)![1]!
    await asEditor(`/v1/admin/reports/${id}`, { method: 'PATCH', json: { status: 'rejected' } })
    const response = await post(`/admin/reports/${id}/status`, { etag, status: 'triaged' }, cookie)
    expect(response.status).toBe(412)
    const text = await response.text()
    expect(text).toMatch(/role="alert"[^>]*>Someone changed this report/)
    expect(text).toContain('<span class="badge s-rejected">rejected</span>')
    const stored = await env.DB.prepare('SELECT status FROM reports WHERE id = ?').bind(id).first()
    expect(stored).toEqual({ status: 'rejected' })
  })

  it('shows a move the workflow refuses as a 409 conflict', async () => {
    const cookie = await signIn()
    const id = await newReport()
    const html = await (await page(`/admin/reports/${id}`, cookie)).text()
    const etag = /name="etag" value="([^"]+)"/.exec(html)![1]!
    const response = await post(
      `/admin/reports/${id}/status`,
      { etag, status: 'duplicate' },
      cookie,
    )
    expect(response.status).toBe(409)
    expect(await response.text()).toMatch(
      /role="alert"[^>]*>Marking a duplicate needs duplicate_of/,
    )
  })

  it('answers malformed forms with an error page, never a 500', async () => {
    const cookie = await signIn()
    const id = await newReport()
    const cases: [string, RequestInit & { headers?: Record<string, string> }][] = [
      [`/admin/reports/${id}/status`, { body: 'status=bogus&etag=x' }],
      [`/admin/reports/${id}/status`, { body: 'etag=x' }],
      [`/admin/reports/${id}/note`, { body: '' }],
      [`/admin/reports/${id}/correction`, { body: 'kind=erratum&text=x&etag=y' }],
      [`/admin/reports/${id}/assign`, { body: `assignee=${'a'.repeat(500)}` }],
      ['/admin/tiers', { body: 'name=Coffee&amount=lots&currency=usd&interval=month' }],
      ['/admin/tiers/nope', { body: 'name=Coffee' }],
      ['/admin/editors', { body: 'name=&email=not-an-email&role=king' }],
      [
        `/admin/reports/${id}/note`,
        { body: '--x\r\ngarbage', headers: { 'content-type': 'multipart/form-data; boundary=zz' } },
      ],
      [`/admin/reports/${id}/note`, { body: 'note=x'.padEnd(70_000, 'x') }],
    ]
    for (const [path, init] of cases) {
      const response = await call(path, {
        method: 'POST',
        body: init.body as string,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: APP,
          cookie,
          ...init.headers,
        },
      })
      expect(response.status, `${path} ${String(init.body).slice(0, 40)}`).toBeGreaterThanOrEqual(
        400,
      )
      expect(response.status, path).toBeLessThan(500)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(await response.text()).toContain('role="alert"')
    }
    expect((await page('/admin?status=bogus', cookie)).status).toBe(400)
    expect((await page('/admin?cursor=nope', cookie)).status).toBe(400)
    expect((await page('/admin/reports/rep_missing', cookie)).status).toBe(404)
  })

  it('publishes a correction with the title most readers sent, as readers then see it', async () => {
    const cookie = await signIn()
    const id = await newReport({ title: 'Parks budget approved' })
    const html = await (await page(`/admin/reports/${id}`, cookie)).text()
    expect(html).toContain('value="Parks budget approved"')
    const etag = /name="etag" value="([^"]+)"/.exec(html)![1]!
    const response = await post(
      `/admin/reports/${id}/correction`,
      {
        etag,
        kind: 'correction',
        text: 'We misstated the amount.',
        article_title: 'Parks budget approved',
      },
      cookie,
    )
    expect(response.status).toBe(303)
    const { url } = (await env.DB.prepare('SELECT url FROM reports WHERE id = ?')
      .bind(id)
      .first<{ url: string }>())!
    const corrections = (await (
      await call(`/v1/corrections?url=${encodeURIComponent(url)}`)
    ).json()) as {
      items: { text: string }[]
    }
    expect(corrections.items.map((item) => item.text)).toEqual(['We misstated the amount.'])
  })
})
