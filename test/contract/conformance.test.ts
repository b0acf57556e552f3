/**
 * Every operation of /openapi.json, driven against the built Worker in workerd (three of them:
 * fully configured, bare of secrets, and with a configuration that does not parse), with the
 * local stand-ins for Stripe and siteverify. Each answer must have a status the operation
 * lists, the documented content type and headers, and a body that validates against its
 * schema; a request the document refuses must not succeed, and a 400 `validation_failed` to a
 * request it allows must name the rule no schema can state. Data comes from the real flows.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleWorker, startWorker } from '../../scripts/local-worker.mjs'
import { startFakeServices } from '../helpers/fake-services'
import {
  STRIPE_REFUSED_EMAIL,
  STRIPE_SECRET_KEY,
  STRIPE_WEBHOOK_SECRET,
  TURNSTILE_PASS,
  TURNSTILE_SECRET,
} from '../helpers/fakes'
import { Contract, operationsOf, type Exchange, type OpenApi } from './openapi'
import { giftEvent, signature, stripeEvent, subscriberEvents } from './stripe-events'

const SITE = 'https://news.example'
const ELSEWHERE = 'https://elsewhere.example'
const ADMIN_TOKEN = 'contract-admin-token-0123456789'
const JSON_TYPE = { 'content-type': 'application/json' }
const TOO_LONG_ID = 'x'.repeat(65)

type Worker = 'main' | 'bare' | 'broken'

interface Call {
  /** Defaults to the operation's path when it has no parameters. */
  path?: string
  worker?: Worker
  auth?: 'admin' | 'editor' | 'wrong'
  headers?: Record<string, string>
  json?: unknown
  body?: string
  /** CF-Connecting-IP; a fresh address unless given, so rate limits stay out of the way. */
  ip?: string
  expect: number
  /** Why the server answers 400 to what the document allows: a rule no schema can state. */
  rule?: string
  /** What the answer must show for the case to mean something (a nullable field exercised). */
  shows?: (body: never) => boolean
}

interface World {
  reportBody(fields?: Record<string, unknown>): Record<string, unknown>
  report(): Promise<{ id: string; statusPath: string }>
  etag(reportId: string): Promise<string>
  newEditor(): Promise<string>
  /** A new webhook endpoint's id. */
  newWebhook(): Promise<string>
  editorToken: string
  tierId: string
  corrected: { url: string; statusPath: string }
}

const servers = {} as Record<Worker, Awaited<ReturnType<typeof startWorker>>>
let fakes: Awaited<ReturnType<typeof startFakeServices>>
let document: OpenApi
let contract: Contract
let world: World
const observed = new Map<string, Set<number>>()

let sequence = 0
const next = () => ++sequence
const randomIp = (n = next()) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`

async function send(key: string, call: Call): Promise<Exchange & { problems: string[] }> {
  const [method, template] = key.split(' ') as [string, string]
  const url = new URL(call.path ?? template, servers[call.worker ?? 'main'].url)
  const headers = new Headers(call.headers)
  if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', call.ip ?? randomIp())
  const token = { admin: ADMIN_TOKEN, editor: world?.editorToken, wrong: 'rdk_not-a-token' }
  if (call.auth) headers.set('authorization', `Bearer ${token[call.auth]}`)
  let body = call.body
  if (call.json !== undefined) {
    body = JSON.stringify(call.json)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  const response = await fetch(url, { method, headers, body, redirect: 'manual' })
  const exchange: Exchange = {
    url,
    requestHeaders: headers,
    requestBody: body,
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  }
  observed.set(key, (observed.get(key) ?? new Set()).add(exchange.status))
  const problems = contract.responseProblems(key, exchange)
  const refused = contract.requestProblems(key, exchange)
  if (exchange.status < 400 && refused.length) {
    problems.push(`answered ${exchange.status} to what the document refuses: ${refused.join('; ')}`)
  }
  const code = exchange.status === 400 ? (JSON.parse(exchange.text) as { code?: string }).code : ''
  if (code === 'validation_failed' && !refused.length && !call.rule) {
    problems.push('refused as validation_failed what the document allows: an undeclared rule')
  }
  return { ...exchange, problems }
}

/** A request of the world's making: it must answer as expected and as documented. */
async function made<Body = unknown>(key: string, call: Call) {
  const exchange = await send(key, call)
  if (exchange.status !== call.expect || exchange.problems.length) {
    throw new Error(`${key} ${call.path ?? ''}: ${exchange.status} ${exchange.problems.join('; ')}`)
  }
  const json = /json/.test(exchange.headers.get('content-type') ?? '')
  return { body: (json ? JSON.parse(exchange.text) : null) as Body, exchange }
}

const broken = (path: string): Call => ({ path, worker: 'broken', expect: 500 })
const bodyOf = (size: number) => JSON.stringify({ comment: 'x'.repeat(size) })
const pathOf = (url: string) => {
  const { pathname, search } = new URL(url)
  return pathname + search
}

/** Two calls from one client that fill a quota of 2 a minute, and the one it refuses. */
const overQuota = (call: Omit<Call, 'expect'>, success: number): Call[] => {
  const ip = randomIp()
  return [
    { ...call, ip, expect: success },
    { ...call, ip, expect: success },
    { ...call, ip, expect: 429 },
  ]
}

/** The bearer guard and the admin role, as every admin-only operation answers them. */
const guarded = (call: Omit<Call, 'expect' | 'auth'>, adminOnly: boolean): Call[] => [
  { ...call, expect: 401 },
  { ...call, auth: 'wrong', expect: 401 },
  ...(adminOnly ? [{ ...call, auth: 'editor' as const, expect: 403 }] : []),
]

/** The size and media type checks of a JSON body. */
const jsonBodyChecks = (call: Omit<Call, 'expect'>, limit = 64 * 1024): Call[] => [
  { ...call, headers: { ...call.headers, ...JSON_TYPE }, body: bodyOf(limit), expect: 413 },
  { ...call, headers: { ...call.headers, 'content-type': 'text/plain' }, body: '{}', expect: 415 },
  { ...call, headers: { ...call.headers, ...JSON_TYPE }, body: '{"oops":', expect: 400 },
]

type Cases = (world: World) => Call[] | Promise<Call[]>

/** One list of requests per operation of the document: `METHOD /path/{param}` → calls. */
const CASES: Record<string, Cases> = {
  'GET /health': () => [{ expect: 200 }, broken('/health')],

  'POST /v1/reports': (w) => {
    const key = randomUUID()
    const first = w.reportBody()
    return [
      { json: w.reportBody(), expect: 201 },
      {
        json: w.reportBody({ quote: null, comment: 'The date is wrong', email: null, lang: null }),
        expect: 201,
      },
      { json: w.reportBody({ website: 'https://spam.example', kind: 'factual' }), expect: 201 },
      { json: first, headers: { 'idempotency-key': key }, expect: 201 },
      { json: first, headers: { 'idempotency-key': key }, expect: 201 },
      { json: w.reportBody(), headers: { 'idempotency-key': key }, expect: 409 },
      { json: w.reportBody(), headers: { 'idempotency-key': 'two words' }, expect: 400 },
      { json: w.reportBody({ quote: '   ', comment: null }), expect: 400 },
      { json: w.reportBody({ url: 'ftp://news.example/story' }), expect: 400 },
      { json: w.reportBody({ quote: 'x'.repeat(1001) }), expect: 400 },
      { json: w.reportBody({ kind: 'opinion' }), expect: 400 },
      { json: w.reportBody(), headers: { origin: ELSEWHERE }, expect: 403 },
      { json: w.reportBody({ turnstile_token: 'wrong' }), expect: 403 },
      ...jsonBodyChecks({}),
      { json: w.reportBody({ url: `${ELSEWHERE}/story` }), expect: 422 },
      ...overQuota({ json: w.reportBody() }, 201),
      { json: w.reportBody(), worker: 'bare', expect: 503 },
      broken('/v1/reports'),
    ]
  },

  'GET /v1/submissions/{id}': async (w) => {
    const fresh = await w.report()
    const id = fresh.statusPath.split('/')[3]!.split('?')[0]!
    return [
      {
        path: w.corrected.statusPath,
        expect: 200,
        shows: (body: { correction: unknown }) => body.correction !== null,
      },
      {
        path: fresh.statusPath,
        expect: 200,
        shows: (body: { correction: unknown }) => body.correction === null,
      },
      { path: `/v1/submissions/${id}?token=wrong`, expect: 404 },
      { path: `/v1/submissions/${id}`, expect: 400 },
      { path: `/v1/submissions/${TOO_LONG_ID}?token=x`, expect: 400 },
      broken(fresh.statusPath),
    ]
  },

  'DELETE /v1/submissions/{id}': async (w) => {
    const fresh = await w.report()
    const id = fresh.statusPath.split('/')[3]!.split('?')[0]!
    return [
      { path: fresh.statusPath, expect: 204 },
      { path: fresh.statusPath, expect: 204 },
      { path: `/v1/submissions/${id}?token=wrong`, expect: 404 },
      { path: `/v1/submissions/${id}`, expect: 400 },
      { path: `/v1/submissions/${TOO_LONG_ID}?token=x`, expect: 400 },
      broken(fresh.statusPath),
    ]
  },

  'GET /v1/corrections': (w) => [
    {
      path: `/v1/corrections?url=${encodeURIComponent(w.corrected.url)}`,
      expect: 200,
      shows: (body: { items: unknown[] }) => body.items.length === 1,
    },
    { path: `/v1/corrections?url=${encodeURIComponent('ftp://news.example/story')}`, expect: 400 },
    { path: '/v1/corrections', expect: 400 },
    broken('/v1/corrections'),
  ],

  'GET /v1/corrections/jsonld': (w) => [
    {
      path: `/v1/corrections/jsonld?url=${encodeURIComponent(w.corrected.url)}`,
      expect: 200,
      shows: (body: { correction: unknown[] }) => body.correction.length === 1,
    },
    {
      path: `/v1/corrections/jsonld?url=${encodeURIComponent(`${SITE}/never-corrected`)}`,
      expect: 200,
      shows: (body: { correction: unknown[] }) => body.correction.length === 0,
    },
    {
      path: `/v1/corrections/jsonld?url=${encodeURIComponent('ftp://news.example/story')}`,
      expect: 400,
    },
    { path: '/v1/corrections/jsonld', expect: 400 },
    broken('/v1/corrections/jsonld'),
  ],

  'GET /v1/corrections/feed.atom': () => [{ expect: 200 }, broken('/v1/corrections/feed.atom')],

  'GET /v1/tiers': () => [
    { expect: 200, shows: (body: { items: unknown[] }) => body.items.length > 0 },
    broken('/v1/tiers'),
  ],

  'GET /v1/supporters/stats': () => [{ expect: 200 }, broken('/v1/supporters/stats')],

  'GET /v1/supporters/goal': async () => {
    await made('DELETE /v1/admin/goal', { auth: 'admin', expect: 204 })
    const none: Call = { expect: 404 }
    const monthly = { kind: 'monthly', target: 50_000, currency: 'eur' }
    // Each case is sent once its turn comes: the goal is set between the 404 and the 200.
    const seen = await send('GET /v1/supporters/goal', none)
    if (seen.status !== 404 || seen.problems.length) throw new Error(seen.problems.join('; '))
    await made('PUT /v1/admin/goal', { auth: 'admin', json: monthly, expect: 200 })
    return [
      {
        expect: 200,
        shows: (body: { currency: string | null; current: number }) =>
          body.currency === 'eur' && body.current > 0,
      },
      broken('/v1/supporters/goal'),
    ]
  },

  'GET /v1/billing-portal': () => [
    { expect: 303 },
    { worker: 'bare', expect: 503 },
    broken('/v1/billing-portal'),
  ],

  'POST /v1/checkout': (w) => {
    const key = randomUUID()
    const custom = { amount: 500, currency: 'EUR', interval: 'month' }
    return [
      { json: { tier_id: w.tierId }, expect: 201 },
      { json: { ...custom, email: 'ada@example.org', success_url: `${SITE}/thanks` }, expect: 201 },
      {
        json: { tier_id: null, amount: 1500, currency: 'usd', interval: null, cancel_url: null },
        expect: 201,
      },
      { json: { ...custom, tier_id: w.tierId }, expect: 400 },
      { json: { email: 'ada@example.org' }, expect: 400 },
      { json: { ...custom, interval: 'week' }, expect: 400 },
      { json: { ...custom, amount: 99 }, expect: 400 },
      {
        json: { ...custom, currency: 'jpy' },
        expect: 400,
        rule: 'the currencies are the deployment’s SUPPORT_CURRENCIES',
      },
      { json: custom, headers: { 'idempotency-key': key }, expect: 201 },
      { json: { ...custom, amount: 700 }, headers: { 'idempotency-key': key }, expect: 409 },
      { json: custom, headers: { origin: ELSEWHERE }, expect: 403 },
      { json: { tier_id: 'tier_none' }, expect: 404 },
      ...jsonBodyChecks({}),
      { json: { ...custom, success_url: `${ELSEWHERE}/thanks` }, expect: 422 },
      ...overQuota({ json: custom }, 201),
      { json: { ...custom, email: STRIPE_REFUSED_EMAIL }, expect: 502 },
      { json: custom, worker: 'bare', expect: 503 },
      broken('/v1/checkout'),
    ]
  },

  'POST /v1/webhooks/stripe': async () => {
    const gift = JSON.stringify(giftEvent(`giver.${next()}@example.org`), null, 2)
    const old = JSON.stringify(stripeEvent('customer.updated', {}, '2020-08-27'))
    const malformed = '{"id": "evt_1", "object":'
    const signed = async (body: string) => ({
      ...JSON_TYPE,
      'stripe-signature': await signature(body),
    })
    return [
      { body: gift, headers: await signed(gift), expect: 200 },
      { body: gift, headers: await signed(gift), expect: 200 },
      { body: gift, headers: { ...JSON_TYPE, 'stripe-signature': 't=1,v1=00' }, expect: 400 },
      { body: gift, headers: JSON_TYPE, expect: 400 },
      { body: old, headers: await signed(old), expect: 400 },
      {
        body: malformed,
        headers: await signed(malformed),
        expect: 400,
        rule: 'a signed body must be a Stripe event, whose shape is Stripe’s to document',
      },
      ...jsonBodyChecks({ headers: { 'stripe-signature': 't=1,v1=00' } }, 1024 * 1024).slice(0, 2),
      { body: gift, headers: await signed(gift), worker: 'bare', expect: 503 },
      broken('/v1/webhooks/stripe'),
    ]
  },

  'GET /widget.js': async () => {
    const { exchange } = await made('GET /widget.js', { expect: 200 })
    return [
      { headers: { 'if-none-match': exchange.headers.get('etag') ?? '' }, expect: 304 },
      broken('/widget.js'),
    ]
  },

  'GET /v1/admin/reports': () => [
    { auth: 'admin', expect: 200 },
    {
      path: '/v1/admin/reports?status=new,%20triaged&kind=typo&sort=most_reported&limit=1',
      auth: 'editor',
      expect: 200,
      shows: (body: { next_cursor: string | null }) => body.next_cursor !== null,
    },
    {
      path: `/v1/admin/reports?url=${encodeURIComponent(SITE)}&q=council`,
      auth: 'editor',
      expect: 200,
    },
    { path: '/v1/admin/reports?limit=0', auth: 'admin', expect: 400 },
    { path: '/v1/admin/reports?status=open', auth: 'admin', expect: 400 },
    { path: '/v1/admin/reports?q=%20%20', auth: 'admin', expect: 400 },
    {
      path: '/v1/admin/reports?cursor=bm90LW91cnM',
      auth: 'admin',
      expect: 400,
      rule: 'a cursor must be one this list issued',
    },
    ...guarded({}, false),
    broken('/v1/admin/reports'),
  ],

  'GET /v1/admin/reports/{id}': async (w) => {
    const { id } = await w.report()
    const path = `/v1/admin/reports/${id}`
    return [
      { path, auth: 'editor', expect: 200 },
      { path, auth: 'admin', headers: { 'if-none-match': await w.etag(id) }, expect: 304 },
      { path: `/v1/admin/reports/${TOO_LONG_ID}`, auth: 'admin', expect: 400 },
      { path: '/v1/admin/reports/rep_none', auth: 'admin', expect: 404 },
      ...guarded({ path }, false),
      broken(path),
    ]
  },

  'PATCH /v1/admin/reports/{id}': async (w) => {
    const [{ id }, { id: other }] = [await w.report(), await w.report()]
    const path = `/v1/admin/reports/${id}`
    return [
      {
        path,
        auth: 'admin',
        headers: { 'if-match': await w.etag(id) },
        json: { status: 'triaged', assignee: null },
        expect: 200,
      },
      {
        path,
        auth: 'editor',
        json: { assignee: 'Ana Ruiz', note: 'Checking the figure' },
        expect: 200,
      },
      {
        path: `/v1/admin/reports/${other}`,
        auth: 'admin',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ status: 'duplicate', duplicate_of: id }),
        expect: 200,
      },
      { path, auth: 'admin', json: { status: 'triaged', color: 'red' }, expect: 400 },
      { path, auth: 'admin', json: { assignee: '   ' }, expect: 400 },
      { path: `/v1/admin/reports/${TOO_LONG_ID}`, auth: 'admin', json: {}, expect: 400 },
      { path: '/v1/admin/reports/rep_none', auth: 'admin', json: { note: 'x' }, expect: 404 },
      { path, auth: 'admin', json: { status: 'new' }, expect: 409 },
      { path, auth: 'admin', headers: { 'if-match': '"stale"' }, json: { note: 'x' }, expect: 412 },
      ...jsonBodyChecks({ path, auth: 'admin' }),
      ...guarded({ path, json: { note: 'x' } }, false),
      broken(path),
    ]
  },

  'POST /v1/admin/reports/{id}/correction': async (w) => {
    const [{ id }, { id: stale }] = [await w.report(), await w.report()]
    const path = `/v1/admin/reports/${id}/correction`
    const correction = { text: 'The council approved 12 million.', kind: 'correction' }
    return [
      { path, auth: 'editor', json: correction, expect: 201 },
      { path, auth: 'admin', json: correction, expect: 409 },
      { path, auth: 'admin', json: { text: '   ', kind: 'correction' }, expect: 400 },
      { path, auth: 'admin', json: { text: 'x', kind: 'erratum' }, expect: 400 },
      {
        path: '/v1/admin/reports/rep_none/correction',
        auth: 'admin',
        json: correction,
        expect: 404,
      },
      {
        path: `/v1/admin/reports/${stale}/correction`,
        auth: 'admin',
        headers: { 'if-match': '"stale"' },
        json: correction,
        expect: 412,
      },
      ...jsonBodyChecks({ path, auth: 'admin' }),
      ...guarded({ path, json: correction }, false),
      broken(path),
    ]
  },

  'POST /v1/admin/editors': () => {
    const editor = { name: 'Ana Ruiz', email: `ana.${next()}@news.example`, role: 'editor' }
    return [
      { auth: 'admin', json: editor, expect: 201 },
      { auth: 'admin', json: editor, expect: 409 },
      { auth: 'admin', json: { ...editor, role: 'owner' }, expect: 400 },
      { auth: 'admin', json: { ...editor, name: ' ' }, expect: 400 },
      ...jsonBodyChecks({ auth: 'admin' }),
      ...guarded({ json: editor }, true),
      broken('/v1/admin/editors'),
    ]
  },

  'POST /v1/admin/erasure': () => {
    const erasure = { email: `erase.${next()}@example.org` }
    return [
      {
        auth: 'admin',
        json: erasure,
        expect: 200,
        shows: (body: { submissions: number }) => body.submissions === 0,
      },
      { auth: 'admin', json: { email: 'not an address' }, expect: 400 },
      { auth: 'admin', json: { email: 42 }, expect: 400 },
      ...jsonBodyChecks({ auth: 'admin' }),
      ...guarded({ json: erasure }, true),
      broken('/v1/admin/erasure'),
    ]
  },

  'GET /v1/admin/editors': () => [
    { auth: 'admin', expect: 200 },
    { path: '/v1/admin/editors?limit=101', auth: 'admin', expect: 400 },
    ...guarded({}, true),
    broken('/v1/admin/editors'),
  ],

  'DELETE /v1/admin/editors/{id}': async (w) => {
    const path = `/v1/admin/editors/${await w.newEditor()}`
    return [
      ...guarded({ path }, true),
      { path, auth: 'admin', expect: 204 },
      { path, auth: 'admin', expect: 404 },
      { path: `/v1/admin/editors/${TOO_LONG_ID}`, auth: 'admin', expect: 400 },
      broken(path),
    ]
  },

  'GET /v1/admin/stats': () => [
    { auth: 'editor', expect: 200 },
    ...guarded({}, false),
    broken('/v1/admin/stats'),
  ],

  'GET /v1/admin/tiers': () => [
    { auth: 'editor', expect: 200 },
    ...guarded({}, false),
    broken('/v1/admin/tiers'),
  ],

  'POST /v1/admin/tiers': () => {
    const tier = { name: 'Patron', amount: 2_000, currency: 'EUR', interval: 'year' }
    return [
      { auth: 'admin', json: tier, expect: 201 },
      { auth: 'admin', json: { ...tier, description: 'Thank you', active: false }, expect: 201 },
      { auth: 'admin', json: { ...tier, name: '   ' }, expect: 400 },
      { auth: 'admin', json: { ...tier, name: 'x'.repeat(101) }, expect: 400 },
      { auth: 'admin', json: { ...tier, amount: 99 }, expect: 400 },
      { auth: 'admin', json: { ...tier, interval: 'once' }, expect: 400 },
      ...jsonBodyChecks({ auth: 'admin' }),
      ...guarded({ json: tier }, true),
      broken('/v1/admin/tiers'),
    ]
  },

  'PATCH /v1/admin/tiers/{id}': async () => {
    const { body } = await made<{ id: string }>('POST /v1/admin/tiers', {
      auth: 'admin',
      json: { name: 'Reader', amount: 300, currency: 'usd', interval: 'month' },
      expect: 201,
    })
    const path = `/v1/admin/tiers/${body.id}`
    return [
      { path, auth: 'admin', json: { name: 'Friend of the desk' }, expect: 200 },
      { path, auth: 'admin', json: { active: false }, expect: 200 },
      { path, auth: 'admin', json: {}, expect: 400 },
      { path, auth: 'admin', json: { currency: 'euro' }, expect: 400 },
      {
        path: `/v1/admin/tiers/${TOO_LONG_ID}`,
        auth: 'admin',
        json: { active: true },
        expect: 400,
      },
      { path: '/v1/admin/tiers/tier_none', auth: 'admin', json: { active: true }, expect: 404 },
      ...jsonBodyChecks({ path, auth: 'admin' }),
      ...guarded({ path, json: { active: true } }, true),
      broken(path),
    ]
  },

  'PUT /v1/admin/goal': () => {
    const goal = { kind: 'supporters', target: 1_000 }
    const currencyRule = 'a monthly goal’s currency must be one of SUPPORT_CURRENCIES'
    const kindRule = 'only a monthly goal has a currency, and it needs one'
    return [
      {
        auth: 'admin',
        json: goal,
        expect: 200,
        shows: (body: { currency: string | null }) => body.currency === null,
      },
      { auth: 'admin', json: { ...goal, currency: null }, expect: 200 },
      { auth: 'admin', json: { kind: 'monthly', target: 500_000, currency: 'USD' }, expect: 200 },
      { auth: 'admin', json: { ...goal, target: 0 }, expect: 400 },
      { auth: 'admin', json: { ...goal, target: 1_000_000_001 }, expect: 400 },
      { auth: 'admin', json: { ...goal, target: '10' }, expect: 400 },
      { auth: 'admin', json: { ...goal, kind: 'readers' }, expect: 400 },
      { auth: 'admin', json: { target: 10 }, expect: 400 },
      { auth: 'admin', json: { ...goal, currency: 'usd' }, expect: 400, rule: kindRule },
      { auth: 'admin', json: { kind: 'monthly', target: 500 }, expect: 400, rule: kindRule },
      {
        auth: 'admin',
        json: { kind: 'monthly', target: 500, currency: 'jpy' },
        expect: 400,
        rule: currencyRule,
      },
      ...jsonBodyChecks({ auth: 'admin' }),
      ...guarded({ json: goal }, true),
      broken('/v1/admin/goal'),
    ]
  },

  'DELETE /v1/admin/goal': () => [
    ...guarded({}, true),
    { auth: 'admin', expect: 204 },
    { auth: 'admin', expect: 204 },
    broken('/v1/admin/goal'),
  ],

  'GET /v1/admin/supporters': () => [
    {
      auth: 'admin',
      expect: 200,
      shows: (body: { items: { interval: string | null }[] }) =>
        body.items.some((item) => item.interval === null) &&
        body.items.some((item) => item.interval === 'month'),
    },
    {
      path: '/v1/admin/supporters?status=one_time,active&q=example&limit=1',
      auth: 'admin',
      expect: 200,
    },
    { path: '/v1/admin/supporters?status=lapsed', auth: 'admin', expect: 400 },
    ...guarded({}, true),
    broken('/v1/admin/supporters'),
  ],

  'GET /v1/admin/supporters.csv': () => [
    { auth: 'admin', expect: 200 },
    { path: '/v1/admin/supporters.csv?status=one_time', auth: 'admin', expect: 200 },
    { path: '/v1/admin/supporters.csv?status=lapsed', auth: 'admin', expect: 400 },
    ...guarded({}, true),
    broken('/v1/admin/supporters.csv'),
  ],

  'GET /v1/admin/payments': () => [
    { auth: 'admin', expect: 200, shows: (body: { items: unknown[] }) => body.items.length > 0 },
    { path: '/v1/admin/payments?limit=0', auth: 'admin', expect: 400 },
    ...guarded({}, true),
    broken('/v1/admin/payments'),
  ],

  // The webhook operations that need an endpoint come before POST, whose cases fill the
  // newsroom's 20 endpoints to stage its 409.
  'GET /v1/admin/webhooks': async (w) => {
    await w.newWebhook()
    await w.newWebhook()
    return [
      { auth: 'admin', expect: 200, shows: (body: { items: unknown[] }) => body.items.length > 1 },
      {
        path: '/v1/admin/webhooks?limit=1',
        auth: 'admin',
        expect: 200,
        shows: (body: { next_cursor: string | null }) => body.next_cursor !== null,
      },
      { path: '/v1/admin/webhooks?limit=101', auth: 'admin', expect: 400 },
      {
        path: '/v1/admin/webhooks?cursor=bm90LW91cnM',
        auth: 'admin',
        expect: 400,
        rule: 'a cursor must be one this list issued',
      },
      ...guarded({}, true),
      broken('/v1/admin/webhooks'),
    ]
  },

  'GET /v1/admin/webhooks/{id}': async (w) => {
    const path = `/v1/admin/webhooks/${await w.newWebhook()}`
    return [
      { path, auth: 'admin', expect: 200 },
      { path: '/v1/admin/webhooks/whk_none', auth: 'admin', expect: 404 },
      { path: `/v1/admin/webhooks/${TOO_LONG_ID}`, auth: 'admin', expect: 400 },
      ...guarded({ path }, true),
      broken(path),
    ]
  },

  'GET /v1/admin/webhooks/{id}/deliveries': async (w) => {
    const path = `/v1/admin/webhooks/${await w.newWebhook()}/deliveries`
    return [
      { path, auth: 'admin', expect: 200 },
      { path: `${path}?limit=0`, auth: 'admin', expect: 400 },
      {
        path: `${path}?cursor=bm90LW91cnM`,
        auth: 'admin',
        expect: 400,
        rule: 'a cursor must be one this list issued',
      },
      { path: '/v1/admin/webhooks/whk_none/deliveries', auth: 'admin', expect: 404 },
      { path: `/v1/admin/webhooks/${TOO_LONG_ID}/deliveries`, auth: 'admin', expect: 400 },
      ...guarded({ path }, true),
      broken(path),
    ]
  },

  'DELETE /v1/admin/webhooks/{id}': async (w) => {
    const path = `/v1/admin/webhooks/${await w.newWebhook()}`
    return [
      ...guarded({ path }, true),
      { path, auth: 'admin', expect: 204 },
      { path, auth: 'admin', expect: 404 },
      { path: `/v1/admin/webhooks/${TOO_LONG_ID}`, auth: 'admin', expect: 400 },
      broken(path),
    ]
  },

  'POST /v1/admin/webhooks': async (w) => {
    const { body } = await made<{ items: unknown[] }>('GET /v1/admin/webhooks', {
      path: '/v1/admin/webhooks?limit=100',
      auth: 'admin',
      expect: 200,
    })
    for (let n = body.items.length; n < 18; n++) await w.newWebhook()
    const hook = { url: `https://tools.news.example/hooks/${next()}`, events: ['report.created'] }
    const local = { url: 'http://127.0.0.1:9/x', events: ['supporter.started', 'report.updated'] }
    return [
      { auth: 'admin', json: hook, expect: 201 },
      { auth: 'admin', json: local, expect: 201 },
      { auth: 'admin', json: { ...hook, url: 'http://example.com/hook' }, expect: 400 },
      { auth: 'admin', json: { ...hook, url: 'ftp://files.example/hook' }, expect: 400 },
      { auth: 'admin', json: { ...hook, url: 'https://user:pass@hooks.example/' }, expect: 400 },
      { auth: 'admin', json: { ...hook, url: '/hooks' }, expect: 400 },
      { auth: 'admin', json: { ...hook, events: [] }, expect: 400 },
      {
        auth: 'admin',
        json: { ...hook, events: ['report.created', 'report.created'] },
        expect: 400,
      },
      { auth: 'admin', json: { ...hook, events: ['report.deleted'] }, expect: 400 },
      ...jsonBodyChecks({ auth: 'admin' }),
      ...guarded({ json: hook }, true),
      { auth: 'admin', json: hook, expect: 409 },
      broken('/v1/admin/webhooks'),
    ]
  },
}

/** Documented statuses no case can stage here, each with the reason. */
const UNPROVOKED: Record<string, string> = {
  'GET /health 503': 'D1 not answering cannot be staged against a local D1',
}

interface Created {
  id: string
  status_url: string
}

async function makeWorld(): Promise<World> {
  const reportBody = (fields: Record<string, unknown> = {}) => {
    const n = next()
    return {
      url: `${SITE}/2026/11/city-budget-${n}?utm_source=contract`,
      quote: `The council approved ${n} million for parks`,
      suggestion: `The council approved ${n + 1} million for parks`,
      turnstile_token: TURNSTILE_PASS,
      ...fields,
    }
  }
  const report = async () => {
    const { body } = await made<Created>('POST /v1/reports', { json: reportBody(), expect: 201 })
    return { id: body.id, statusPath: pathOf(body.status_url) }
  }
  const etag = async (id: string) => {
    const path = `/v1/admin/reports/${id}`
    const { exchange } = await made('GET /v1/admin/reports/{id}', {
      path,
      auth: 'admin',
      expect: 200,
    })
    return exchange.headers.get('etag') ?? ''
  }
  const newEditor = async () => {
    const json = {
      name: `Editor ${next()}`,
      email: `editor.${next()}@news.example`,
      role: 'editor',
    }
    const editor = { auth: 'admin' as const, json, expect: 201 }
    return (await made<{ id: string; token: string }>('POST /v1/admin/editors', editor)).body
  }
  const newWebhook = async () => {
    const json = { url: `https://tools.news.example/hooks/${next()}`, events: ['report.created'] }
    const webhook = { auth: 'admin' as const, json, expect: 201 }
    return (await made<{ id: string }>('POST /v1/admin/webhooks', webhook)).body.id
  }
  const { token: editorToken } = await newEditor()
  const { body: tier } = await made<{ id: string }>('POST /v1/admin/tiers', {
    auth: 'admin',
    json: { name: 'Friend', amount: 500, currency: 'eur', interval: 'month' },
    expect: 201,
  })
  const tierId = tier.id
  const correctedBody = reportBody()
  const { body: created } = await made<Created>('POST /v1/reports', {
    json: correctedBody,
    expect: 201,
  })
  const { id, status_url } = created
  await made('POST /v1/admin/reports/{id}/correction', {
    path: `/v1/admin/reports/${id}/correction`,
    auth: 'admin',
    json: { text: 'The council approved 12 million.', kind: 'clarification' },
    expect: 201,
  })
  for (const event of [
    giftEvent('giver@example.org'),
    ...subscriberEvents('sub@example.org', tierId),
  ]) {
    const body = JSON.stringify(event)
    await made('POST /v1/webhooks/stripe', {
      body,
      headers: { ...JSON_TYPE, 'stripe-signature': await signature(body) },
      expect: 200,
    })
  }
  return {
    reportBody,
    report,
    etag,
    newEditor: async () => (await newEditor()).id,
    newWebhook,
    editorToken,
    tierId,
    corrected: { url: correctedBody.url.split('?')[0]!, statusPath: pathOf(status_url) },
  }
}

beforeAll(async () => {
  const bundle = bundleWorker().outdir
  fakes = await startFakeServices()
  const [main, bare, broke] = await Promise.all([
    startWorker({
      bundle,
      bindings: {
        ALLOWED_ORIGINS: SITE,
        ADMIN_TOKEN,
        IP_HASH_SALT: 'contract',
        RATE_LIMIT_REPORTS_PER_MINUTE: '2',
        RATE_LIMIT_CHECKOUTS_PER_MINUTE: '2',
        TURNSTILE_SECRET_KEY: TURNSTILE_SECRET,
        TURNSTILE_VERIFY_URL: `${fakes.turnstileUrl}/turnstile/v0/siteverify`,
        STRIPE_API_BASE: fakes.stripeUrl,
        STRIPE_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET,
        STRIPE_PORTAL_LOGIN_URL: 'https://billing.stripe.com/p/login/test_readerdesk',
        SUPPORT_SUCCESS_URL: `${SITE}/support/thanks`,
        SUPPORT_CANCEL_URL: `${SITE}/support`,
      },
    }),
    startWorker({ bundle, bindings: { ALLOWED_ORIGINS: SITE, ADMIN_TOKEN } }),
    // Answers 500 to everything and logs why each time: those lines are expected, so dropped.
    startWorker({
      bundle,
      bindings: { RATE_LIMIT_REPORTS_PER_MINUTE: '-1' },
      migrations: null,
      quiet: true,
    }),
  ])
  Object.assign(servers, { main, bare, broken: broke })
  document = (await (await fetch(`${main.url}/openapi.json`)).json()) as OpenApi
  contract = new Contract(document)
  world = await makeWorld()
})

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.close()))
  await fakes?.close()
})

describe('/openapi.json against the Worker', () => {
  it('has cases for every operation it documents, and none for any it does not', () => {
    const documented = operationsOf(document)
    expect(
      documented.filter((key) => !(key in CASES)),
      'operations without cases',
    ).toEqual([])
    expect(
      Object.keys(CASES).filter((key) => !documented.includes(key)),
      'cases of undocumented operations',
    ).toEqual([])
  })

  for (const [key, cases] of Object.entries(CASES)) {
    it(`${key} answers only as documented`, async () => {
      if (!contract.operations.has(key)) return
      for (const call of await cases(world)) {
        const exchange = await send(key, call)
        const what = `${key} ${call.path ?? ''} (${call.worker ?? 'main'}) → ${exchange.status}`
        expect(exchange.problems, what).toEqual([])
        expect(exchange.status, `${what}: ${exchange.text.slice(0, 300)}`).toBe(call.expect)
        if (call.shows) expect(call.shows(JSON.parse(exchange.text) as never), what).toBe(true)
      }
    })
  }

  it('has seen every status the document lists, but those no test can stage', () => {
    const unseen = [...contract.operations].flatMap(([key, { operation }]) =>
      Object.keys(operation.responses)
        .map((status) => `${key} ${status}`)
        .filter((entry) => {
          const [, , status] = entry.split(' ')
          return !observed.get(key)?.has(Number(status)) && !(entry in UNPROVOKED)
        }),
    )
    expect(unseen).toEqual([])
  })
})
