import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { asEditor, createEditor, newReport } from '../helpers/editors'
import { call, env, expectProblem } from '../helpers/http'

describe('editor accounts', () => {
  it('issues a token once, lists editors without tokens, and stores only a hash', async () => {
    const editor = await createEditor('editor', 'Ana Ruiz')
    expect(editor).toMatchObject({
      id: expect.stringMatching(/^edt_/),
      name: 'Ana Ruiz',
      role: 'editor',
    })
    expect(editor.token).toMatch(/^rdk_[\w-]{43}$/)
    const list = await asEditor('/v1/admin/editors')
    expect(list.status).toBe(200)
    const text = await list.text()
    expect(text).toContain('Ana Ruiz')
    expect(text).not.toContain(editor.token)
    expect(text).not.toContain('token')
    const stored = JSON.stringify(await env.DB.prepare('SELECT * FROM editors').all())
    expect(stored).not.toContain(editor.token)
  })

  it('lets an editor read reports with their token, and records them as the actor', async () => {
    const editor = await createEditor('editor', 'Bo Chen')
    const id = await newReport()
    const response = await asEditor(
      `/v1/admin/reports/${id}`,
      { method: 'PATCH', json: { status: 'triaged' } },
      editor.token,
    )
    expect(response.status).toBe(200)
    const body = (await response.json()) as { events: { actor: string }[] }
    expect(body.events).toEqual([expect.objectContaining({ actor: 'Bo Chen', action: 'status' })])
  })

  it('revokes a token with immediate effect', async () => {
    const editor = await createEditor()
    expect((await asEditor('/v1/admin/reports', {}, editor.token)).status).toBe(200)
    const revoke = await asEditor(`/v1/admin/editors/${editor.id}`, { method: 'DELETE' })
    expect(revoke.status).toBe(204)
    await expectProblem(await asEditor('/v1/admin/reports', {}, editor.token), 401, 'unauthorized')
    await expectProblem(
      await asEditor(`/v1/admin/editors/${editor.id}`, { method: 'DELETE' }),
      404,
      'not_found',
    )
    const list = (await (await asEditor('/v1/admin/editors?limit=100')).json()) as {
      items: { id: string }[]
    }
    expect(list.items.map((item) => item.id)).not.toContain(editor.id)
  })

  it('refuses an editor on admin-only routes with 403', async () => {
    const editor = await createEditor('editor')
    await expectProblem(await asEditor('/v1/admin/editors', {}, editor.token), 403, 'forbidden')
    await expectProblem(
      await asEditor(
        '/v1/admin/editors',
        { json: { name: 'Eve', email: 'eve@news.example', role: 'admin' } },
        editor.token,
      ),
      403,
      'forbidden',
    )
    await expectProblem(
      await asEditor(`/v1/admin/editors/${editor.id}`, { method: 'DELETE' }, editor.token),
      403,
      'forbidden',
    )
  })

  it('lets an admin editor manage editors', async () => {
    const admin = await createEditor('admin')
    const response = await asEditor(
      '/v1/admin/editors',
      { json: { name: 'Cy', email: 'cy@news.example', role: 'editor' } },
      admin.token,
    )
    expect(response.status).toBe(201)
    const row = await env.DB.prepare(
      "SELECT created_by FROM editors WHERE email = 'cy@news.example'",
    ).first<{ created_by: string }>()
    expect(row?.created_by).toBe(admin.name)
  })

  it('refuses a second active editor with the same email (any case) with 409', async () => {
    await asEditor('/v1/admin/editors', {
      json: { name: 'Di', email: 'di@news.example', role: 'editor' },
    })
    await expectProblem(
      await asEditor('/v1/admin/editors', {
        json: { name: 'Di 2', email: 'DI@news.example', role: 'editor' },
      }),
      409,
      'conflict',
    )
  })

  it.each([
    ['a missing name', { email: 'x@news.example', role: 'editor' }],
    ['an over-long name', { name: 'n'.repeat(101), email: 'x@news.example', role: 'editor' }],
    ['a bad email', { name: 'X', email: 'nope', role: 'editor' }],
    ['an unknown role', { name: 'X', email: 'x@news.example', role: 'owner' }],
    ['a role of the wrong type', { name: 'X', email: 'x@news.example', role: 1 }],
  ])('answers 400 to %s', async (_, body) => {
    await expectProblem(
      await asEditor('/v1/admin/editors', { json: body }),
      400,
      'validation_failed',
    )
  })

  it('answers 400 to malformed JSON and 415 to a form', async () => {
    await expectProblem(
      await asEditor('/v1/admin/editors', {
        method: 'POST',
        body: '{"name":',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'validation_failed',
    )
    await expectProblem(
      await asEditor('/v1/admin/editors', {
        method: 'POST',
        body: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported_media_type',
    )
  })
})

describe('the admin guard', () => {
  it.each([
    '//v1/admin/reports',
    '/v1//admin/reports',
    '/v1/admin//reports',
    '/v1/admin/reports/',
    '/V1/ADMIN/REPORTS',
    '/v1/Admin/reports',
    '/v1/admin%2Freports',
    '/v1%2Fadmin%2Freports',
    '/v1/admin/reports;x=1',
    '/v1/admin;/reports',
    '/v1/admin/./reports',
    '/v1/admin/x/../reports',
    '/v1/admin/%72eports',
    '/v1/admin/reports%00',
    '/v1/admin/editors/',
    '/v1/admin/stats?token=x',
  ])('never lets %s reach an admin handler without a token', async (path) => {
    const id = await newReport()
    const response = await call(path)
    // `//v1/admin/…` names the host `v1`: its path is the web app's, which sends to sign-in.
    if (response.status === 303) expect(response.headers.get('location')).toBe('/admin/sign-in')
    else expect([401, 404]).toContain(response.status)
    const text = await response.text()
    expect(text).not.toContain(id)
    expect(text).not.toContain('"items"')
  })

  it('keeps every registered route either public or behind the guard', async () => {
    const PUBLIC = new Set([
      'GET /health',
      'GET /openapi.json',
      'GET /docs',
      'GET /docs.css',
      'POST /v1/reports',
      'GET /v1/submissions/:id',
      'DELETE /v1/submissions/:id',
      'GET /forget/:id',
      'POST /forget/:id',
      'GET /v1/corrections',
      'GET /v1/corrections/jsonld',
      'GET /v1/corrections/feed.atom',
      'GET /corrections',
      'GET /v1/tiers',
      'GET /v1/supporters/stats',
      'GET /v1/supporters/goal',
      'GET /v1/billing-portal',
      'POST /v1/checkout',
      'POST /v1/webhooks/stripe',
      'GET /widget.js',
      'GET /',
      'GET /demo.css',
    ])
    const routes = createApp()
      .routes.filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path}`)
    // The editors' web app: its sign-in, sign-out and two static files are public; every other
    // page sends a visitor without a session to sign in, and every form is refused.
    const APP_PUBLIC = new Set([
      'GET /admin/app.css',
      'GET /admin/app.js',
      'GET /admin/sign-in',
      'POST /admin/sign-in',
      'POST /admin/sign-out',
    ])
    const pages = [...new Set(routes)].filter(
      (route) => /^\w+ \/admin(\/|$)/.test(route) && !APP_PUBLIC.has(route),
    )
    expect(pages.length).toBeGreaterThan(10)
    for (const route of pages) {
      const [method, path] = route.split(' ') as [string, string]
      const response = await call(path.replace(/:\w+/g, 'x'), {
        method,
        headers: { origin: 'https://api.news.example' },
        ...(method === 'GET' ? {} : { body: 'x=1' }),
      })
      if (method === 'GET') {
        expect(response.status, route).toBe(303)
        expect(response.headers.get('location'), route).toBe('/admin/sign-in')
      } else expect(response.status, route).toBe(401)
    }
    for (const route of APP_PUBLIC) expect(routes, route).toContain(route)
    const guarded = [...new Set(routes)].filter(
      (route) => !PUBLIC.has(route) && !APP_PUBLIC.has(route) && !pages.includes(route),
    )
    expect(guarded.length).toBeGreaterThan(0)
    for (const route of guarded) {
      expect(route).toMatch(/^\w+ \/v1\/admin\//)
      const [method, path] = route.split(' ') as [string, string]
      const response = await call(path.replace(/:\w+/g, 'x'), {
        method,
        ...(method === 'GET' || method === 'DELETE' ? {} : { json: {} }),
      })
      expect(response.status, route).toBe(401)
    }
    for (const route of PUBLIC) expect(routes, route).toContain(route)
  })
})
