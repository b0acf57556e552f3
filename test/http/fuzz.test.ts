/**
 * Property-based fuzzing of the whole API, through the Worker's own fetch handler against the
 * real D1: requests generated from the served OpenAPI document's schemas (see helpers/fuzz.ts),
 * changed in hostile ways, each answer held to the contract, and the database compared before
 * and after every request. Seeded and bounded: a failure prints fast-check's seed and the
 * request that broke the contract; the same seed replays the same run of requests.
 */
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { createEditor } from '../helpers/editors'
import { reportInput } from '../helpers/factories'
import {
  ALLOWED_SITES,
  bodyChange,
  changeBody,
  cleanText,
  codePoints,
  freeTextFields,
  hostileUnit,
  isJsonMediaType,
  judge,
  JSON_MEDIA_TYPES,
  operationsOf,
  OTHER_MEDIA_TYPES,
  parseUrl,
  Pick,
  ruleBreakers,
  siteUrl,
  text,
  uncleanCharacters,
  validBody,
  weighted,
  worst,
  type Change,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type Pool,
  type Verdict,
} from '../helpers/fuzz'
import { ADMIN, call, env, type TestEnv } from '../helpers/http'
import { signature } from '../helpers/stripe'
import { giver, subscriber } from '../helpers/supporters'

const SEED = 20_261_130
/** Every optional feature configured, so that no 5xx is ever the expected answer. */
const DEPLOYMENT: Partial<TestEnv> = {
  STRIPE_PORTAL_LOGIN_URL: 'https://billing.stripe.com/p/login/test_readerdesk',
}
const JSON_LIMIT = 64 * 1024
/** The statuses each of the contract's problem codes goes with. */
const PROBLEM_STATUS: Record<string, number[]> = {
  validation_failed: [400],
  unauthorized: [401],
  forbidden: [403],
  not_found: [404],
  conflict: [409],
  precondition_failed: [412],
  payload_too_large: [413],
  unsupported_media_type: [415],
  origin_not_allowed: [403, 422],
  rate_limited: [429],
  captcha_failed: [403],
  not_configured: [503],
  signature_invalid: [400],
  api_version_mismatch: [400],
  internal: [500, 502],
}

let doc: OpenApiDocument
let operations: Operation[]

// ---------------------------------------------------------------------------------------------
// What the run has created, for requests to refer to

interface World {
  reports: string[]
  submissions: { id: string; token: string }[]
  editors: string[]
  tiers: string[]
  tokens: { admin: string; editor: string; revoked: string }
  /** Cursors each list issued, by path. */
  cursors: Map<string, string[]>
  /** First answers to an Idempotency-Key, by path. */
  answers: Map<string, { key: string; body: Uint8Array; response: string }[]>
}

const world: World = {
  reports: [],
  submissions: [],
  editors: [],
  tiers: [],
  tokens: { admin: '', editor: '', revoked: '' },
  cursors: new Map(),
  answers: new Map(),
}

const POOL_OF: Record<string, Pool> = {
  reports: 'report',
  submissions: 'submission',
  editors: 'editor',
  tiers: 'tier',
}

/** Which pool the `{id}` of a path comes from. */
function poolOf(path: string): Pool | null {
  return POOL_OF[path.match(/\/([\w.]+)\/\{id\}/)?.[1] ?? ''] ?? null
}

function resolvePick(value: Pick): string {
  const pools: Record<Pool, string[]> = {
    report: world.reports,
    submission: world.submissions.map((submission) => submission.id),
    editor: world.editors,
    tier: world.tiers,
  }
  const pool = pools[value.pool]
  return pool[value.n % Math.max(pool.length, 1)] ?? `${value.pool}_none`
}

/** The value with each `Pick` resolved, by default against the world. */
function resolvePicks(value: unknown, resolve = resolvePick): unknown {
  if (value instanceof Pick) return resolve(value)
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePicks(v, resolve)]))
  }
  return value
}

async function seedWorld(): Promise<void> {
  doc = (await (await call('/openapi.json')).json()) as OpenApiDocument
  operations = operationsOf(doc)
  world.tokens.admin = (await createEditor('admin', 'Fuzz Admin')).token
  world.tokens.editor = (await createEditor('editor', 'Fuzz Editor')).token
  const revoked = await createEditor('editor', 'Fuzz Revoked')
  world.tokens.revoked = revoked.token
  const revocation = await call(`/v1/admin/editors/${revoked.id}`, {
    method: 'DELETE',
    headers: { authorization: ADMIN },
  })
  expect(revocation.status).toBe(204)
  for (const role of ['editor', 'editor', 'admin'] as const) {
    world.editors.push((await createEditor(role)).id)
  }
  for (const active of [true, true, false]) {
    const response = await call('/v1/admin/tiers', {
      json: { name: 'Coffee', amount: 500, currency: 'usd', interval: 'month', active },
      headers: { authorization: ADMIN },
    })
    world.tiers.push(((await response.json()) as { id: string }).id)
  }
  for (let n = 0; n < 6; n++) {
    const response = await call('/v1/reports', { json: reportInput() })
    const created = (await response.json()) as {
      id: string
      submission_id: string
      status_url: string
    }
    world.reports.push(created.id)
    const token = new URL(created.status_url).searchParams.get('token') ?? ''
    world.submissions.push({ id: created.submission_id, token })
  }
}

// ---------------------------------------------------------------------------------------------
// The database: a fingerprint of every table a request may write, and rules that always hold

// Not webhook_deliveries nor reader_emails: the queue's consumer writes those in the background,
// whenever a delivery happens to finish.
const FINGERPRINT = `SELECT json_array(
  (SELECT json_array(count(*), max(updated_at), max(last_reported_at), total(submissions),
    count(assignee), total(length(assignee)), count(duplicate_of), count(correction_id),
    max(etag), min(etag), group_concat(DISTINCT status)) FROM reports),
  (SELECT json_array(count(*), count(email)) FROM submissions),
  (SELECT count(*) FROM report_events),
  (SELECT count(*) FROM corrections),
  (SELECT json_array(count(*), count(revoked_at)) FROM editors),
  (SELECT json_array(count(*), max(updated_at), total(active)) FROM tiers),
  (SELECT json_array(count(*), max(updated_at), total(lifetime_amount)) FROM supporters),
  (SELECT count(*) FROM support_customers),
  (SELECT json_array(count(*), max(updated_at)) FROM support_subscriptions),
  (SELECT json_array(count(*), group_concat(DISTINCT status), count(supporter_id))
    FROM support_payments),
  (SELECT count(*) FROM support_invoice_payments),
  (SELECT json_array(count(*), total(amount_refunded), total(refund_event_created))
    FROM support_charges),
  (SELECT count(*) FROM support_events),
  (SELECT json_array(count(*), total(state_event_created)) FROM support_refunds),
  (SELECT json_array(count(*), total(state_event_created), total(funds_withdrawn))
    FROM support_disputes),
  (SELECT json_array(count(*), total(event_created)) FROM support_customer_profiles),
  (SELECT count(*) FROM idempotency_keys),
  (SELECT json_array(count(*), max(created_at)) FROM webhook_endpoints),
  (SELECT json_array(count(*), max(updated_at), max(target)) FROM supporters_goal)
) AS fingerprint`

/** Each row any of these return is a broken rule, described. */
const INVARIANTS = [
  `SELECT 'submission ' || s.id || ' belongs to no report' AS broken
    FROM submissions s LEFT JOIN reports r ON r.id = s.report_id WHERE r.id IS NULL`,
  `SELECT 'report ' || r.id || ' counts ' || r.submissions || ' submissions and has ' ||
      (SELECT count(*) FROM submissions s WHERE s.report_id = r.id) AS broken
    FROM reports r
    WHERE r.submissions <> (SELECT count(*) FROM submissions s WHERE s.report_id = r.id)`,
  `SELECT 'duplicate ' || r.id || ' names ' || coalesce(r.duplicate_of, 'nothing') || ', ' ||
      coalesce(o.status, 'missing') AS broken
    FROM reports r LEFT JOIN reports o ON o.id = r.duplicate_of
    WHERE r.status = 'duplicate' AND (o.id IS NULL OR o.id = r.id OR o.status = 'duplicate')`,
  `SELECT 'report ' || r.id || ' names correction ' || r.correction_id || ', not its own' AS broken
    FROM reports r LEFT JOIN corrections c ON c.id = r.correction_id
    WHERE r.correction_id IS NOT NULL AND (c.id IS NULL OR c.report_id <> r.id)`,
  `SELECT 'correction ' || c.id || ' is not named by its report' AS broken
    FROM corrections c LEFT JOIN reports r ON r.id = c.report_id WHERE r.correction_id IS NOT c.id`,
  `SELECT 'event ' || e.id || ' belongs to no report' AS broken
    FROM report_events e LEFT JOIN reports r ON r.id = e.report_id WHERE r.id IS NULL`,
  `SELECT 'an Idempotency-Key remembers a ' || status || ' answer' AS broken
    FROM idempotency_keys WHERE status NOT BETWEEN 200 AND 299`,
  `SELECT 'customer ' || c.id || ' links to no supporter' AS broken
    FROM support_customers c LEFT JOIN supporters s ON s.id = c.supporter_id WHERE s.id IS NULL`,
  `SELECT 'payment ' || p.id || ' links to no supporter' AS broken
    FROM support_payments p LEFT JOIN supporters s ON s.id = p.supporter_id
    WHERE p.supporter_id IS NOT NULL AND s.id IS NULL`,
]

interface Snapshot {
  fingerprint: string
  broken: string[]
}

async function snapshot(): Promise<Snapshot> {
  const [rows, ...checks] = await env.DB.batch<Record<string, string>>([
    env.DB.prepare(FINGERPRINT),
    ...INVARIANTS.map((sql) => env.DB.prepare(sql)),
  ])
  return {
    fingerprint: rows?.results[0]?.fingerprint ?? '',
    broken: checks.flatMap((check) => check.results.map((row) => row.broken ?? '')),
  }
}

/** What requests did to the data: rows changed although refused, and rules newly broken. */
function dataBreaches(before: Snapshot, after: Snapshot, refused: boolean, what: string) {
  const breaches = after.broken.filter((broken) => !before.broken.includes(broken))
  if (refused && after.fingerprint !== before.fingerprint) {
    breaches.unshift(`${what} left rows changed`)
  }
  return breaches
}

// ---------------------------------------------------------------------------------------------
// Plans: what fast-check generates for one request

type Auth =
  'admin' | 'lowercase' | 'adminEditor' | 'editor' | 'revoked' | 'none' | 'garbage' | 'basic'
type Key = 'none' | 'fresh' | 'replay' | 'reuse' | 'tooLong' | 'odd'
type IfMatch = 'none' | 'current' | 'stale' | 'star' | 'list' | 'weak' | 'tooLong'

type ParamChange =
  | { kind: 'none' }
  | { kind: 'breakParam'; param: number; variant: number }
  | { kind: 'hostileParam'; param: number; unit: string }
  | { kind: 'missingParam'; param: number }
  | { kind: 'unknownParam' }
  | { kind: 'repeatParam'; param: number }

interface Plan {
  op: string
  params: Record<string, unknown>
  body: unknown
  change: Change
  paramChange: ParamChange
  auth: Auth
  origin: string | null
  key: Key
  ifMatch: IfMatch
  /** A method or path the document does not have. */
  route: { method: string; suffix: string } | null
}

const FOREIGN_ORIGINS = [
  'https://evil.example',
  'null',
  'http://news.example',
  'https://news.example.evil.example',
]
/** Origins a browser would not send, whose fate the contract leaves open. */
const ODD_ORIGINS = [
  'https://NEWS.example',
  'https://news.example:443',
  'https://news.example/',
  '',
]

const authArb = weighted<Auth>([
  ['admin', 4],
  ['lowercase', 1],
  ['adminEditor', 1],
  ['editor', 2],
  ['revoked', 1],
  ['none', 1],
  ['garbage', 1],
  ['basic', 1],
])

const originArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom(...ALLOWED_SITES) },
  { weight: 2, arbitrary: fc.constantFrom(...FOREIGN_ORIGINS) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD_ORIGINS) },
)

const keyArb = weighted<Key>([
  ['none', 4],
  ['fresh', 2],
  ['replay', 2],
  ['reuse', 1],
  ['tooLong', 1],
  ['odd', 1],
])

const ifMatchArb = weighted<IfMatch>([
  ['none', 3],
  ['current', 2],
  ['stale', 1],
  ['star', 1],
  ['list', 1],
  ['weak', 1],
  ['tooLong', 1],
])

const paramChangeArb: fc.Arbitrary<ParamChange> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('breakParam' as const),
      param: fc.nat(),
      variant: fc.nat(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hostileParam' as const),
      param: fc.nat(),
      unit: hostileUnit,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('missingParam' as const), param: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'unknownParam' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('repeatParam' as const), param: fc.nat() }),
  },
)

function statusesOf(path: string): string[] {
  const component = path.includes('supporters') ? 'SupporterStatus' : 'ReportStatus'
  return (doc.components?.schemas?.[component]?.enum ?? []) as string[]
}

/** A valid value for a parameter: from its schema, with the contract's meaning of a few. */
function paramArb(op: Operation, param: Parameter): fc.Arbitrary<unknown> {
  if (param.in === 'path') {
    const pool = poolOf(op.path)
    return fc.oneof(
      { weight: 9, arbitrary: fc.nat(1_000).map((n) => (pool ? new Pick(pool, n) : `x${n}`)) },
      { weight: 1, arbitrary: fc.constant('rep_0000000000000000missing') },
    )
  }
  // The status link's own token, or another reader's.
  if (param.name === 'token')
    return weighted([
      ['own', 3],
      ['other', 1],
    ])
  if (param.name === 'cursor') return fc.nat(1_000).map((n) => ({ cursor: n }))
  if (param.name === 'status') {
    return fc.subarray(statusesOf(op.path), { minLength: 1 }).map((chosen) => chosen.join(','))
  }
  if (param.name === 'url') return siteUrl
  if (param.schema.enum) return fc.constantFrom(...param.schema.enum)
  if (param.schema.type === 'integer') {
    return fc.integer({ min: param.schema.minimum ?? 0, max: param.schema.maximum ?? 1_000 })
  }
  return text(param.schema.minLength ?? 0, param.schema.maxLength ?? 40)
}

function paramsArb(op: Operation): fc.Arbitrary<Record<string, unknown>> {
  const params = op.params.filter((param) => param.in !== 'header')
  const model = Object.fromEntries(params.map((param) => [param.name, paramArb(op, param)]))
  const requiredKeys = params.filter((param) => param.required).map((param) => param.name)
  return fc.record(model, { requiredKeys }).map((value) => ({ ...value }))
}

const hasHeader = (op: Operation, name: string) =>
  op.params.some((param) => param.in === 'header' && param.name === name)

function planFor(op: Operation): fc.Arbitrary<Plan> {
  return fc.record({
    op: fc.constant(op.key),
    params: paramsArb(op),
    body: op.body ? validBody(doc, op.body) : fc.constant(undefined),
    change: op.body ? bodyChange : fc.constant<Change>({ kind: 'none' }),
    paramChange: paramChangeArb,
    auth: op.secured
      ? authArb
      : weighted<Auth>([
          ['none', 2],
          ['garbage', 1],
        ]),
    origin: originArb,
    key: hasHeader(op, 'idempotency-key') ? keyArb : fc.constant<Key>('none'),
    ifMatch: hasHeader(op, 'if-match') ? ifMatchArb : fc.constant<IfMatch>('none'),
    route: fc.constant(null),
  })
}

/** A plan sent with a method or to a path the document does not have. */
function wrongRouteFor(op: Operation): fc.Arbitrary<Plan> {
  return fc
    .record({
      plan: planFor(op),
      method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      suffix: fc.constantFrom('', '/', '/extra', '.json', '%2F'),
    })
    .filter(({ method, suffix }) => {
      const path = op.path.replace(/\{\w+\}/g, 'x') + suffix
      return !operations.some((other) => other.method === method && matches(other.path, path))
    })
    .map(({ plan, method, suffix }) => ({ ...plan, route: { method, suffix } }))
}

function matches(template: string, path: string): boolean {
  const pattern = template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')
  return new RegExp(`^${pattern}$`).test(path)
}

// ---------------------------------------------------------------------------------------------
// Rendering a plan into a request, with the facts the contract's answer depends on

interface Sent {
  method: string
  url: string
  headers: Record<string, string>
  body: Uint8Array | undefined
}

interface Facts {
  /** The documented operation; null for a route the document does not have. */
  op: Operation | null
  /** A public write a browser makes (reports, checkout): the contract orders its errors. */
  browserWrite: boolean
  authFails: boolean
  weakRole: boolean
  oversize: boolean
  mediaRefused: boolean
  /** An Origin that is not allowed; null for one the contract leaves open. */
  foreignOrigin: boolean | null
  verdict: Verdict
  /** The JSON object the server will read. */
  parsed: Record<string, unknown> | null
  /** A URL in the body off the allowed origins (422). */
  offsite: boolean
  ifMatch: 'none' | 'current' | 'stale' | 'other'
  reportExists: boolean
  /** The first answer to this Idempotency-Key and body, to be given again. */
  replay: string | null
  /** The Idempotency-Key came before with another body; null when it may have. */
  conflict: boolean | null
  keyToRemember: string | null
}

const encoder = new TextEncoder()
let keys = 0

function authHeader(auth: Auth): string | null {
  const headers: Record<Auth, string | null> = {
    admin: ADMIN,
    // RFC 9110: the scheme is case-insensitive and one or more spaces may follow it.
    lowercase: `bearer  ${env.ADMIN_TOKEN}`,
    adminEditor: `Bearer ${world.tokens.admin}`,
    editor: `Bearer ${world.tokens.editor}`,
    revoked: `Bearer ${world.tokens.revoked}`,
    none: null,
    garbage: 'Bearer rdk_not-a-token',
    basic: 'Basic YWRtaW46YWRtaW4=',
  }
  return headers[auth]
}

/** A query parameter's value as sent, and whether the document and contract accept it. */
function queryVerdict(op: Operation, param: Parameter, value: string): Verdict {
  if (param.name === 'cursor') {
    return (world.cursors.get(op.path) ?? []).includes(value) ? 'valid' : 'invalid'
  }
  if (param.name === 'status') {
    if (value === '') return 'unknown'
    return value.split(',').every((item) => statusesOf(op.path).includes(item))
      ? 'valid'
      : 'invalid'
  }
  if (param.name === 'token') {
    return codePoints(value) > (param.schema.maxLength ?? Infinity) ? 'invalid' : 'valid'
  }
  const typed =
    param.schema.type === 'integer' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value
  return judge(doc, param.name, param.schema, typed)
}

const CURSOR_BREAKERS = [
  'abc',
  '!!!',
  btoa(JSON.stringify({ v: 1, s: 'elsewhere', k: [] })).replace(/=+$/, ''),
  'x'.repeat(1025),
]
const PATH_BREAKERS = ['x'.repeat(65), '%00', '%E2%80%AE', 'a%2Fb', '%F0%9F%98%80', '%20']

function paramBreakers(op: Operation, param: Parameter): string[] {
  if (param.in === 'path') return PATH_BREAKERS
  if (param.name === 'cursor') {
    const elsewhere = [...world.cursors].filter(([path]) => path !== op.path)
    return [...CURSOR_BREAKERS, ...elsewhere.flatMap(([, cursors]) => cursors.slice(0, 1))]
  }
  if (param.name === 'status') return ['bogus', 'new,bogus', 'NEW']
  const wrongType = param.schema.type === 'integer' ? ['abc'] : []
  return [...ruleBreakers(param.name, param.schema).map(String), ...wrongType]
}

/** The path and query of a plan, and whether the document and contract accept them. */
function renderParams(op: Operation, plan: Plan) {
  const params = op.params.filter((param) => param.in !== 'header')
  const values = new Map<string, string>()
  for (const param of params) {
    const raw = plan.params[param.name]
    if (raw instanceof Pick) values.set(param.name, resolvePick(raw))
    else if (raw && typeof raw === 'object' && 'cursor' in raw) {
      const issued = world.cursors.get(op.path) ?? []
      const cursor = issued[Number(raw.cursor) % Math.max(issued.length, 1)]
      if (cursor) values.set(param.name, cursor)
    } else if (raw !== undefined) values.set(param.name, String(raw))
  }
  if (values.has('token')) {
    const own = world.submissions.find((s) => s.id === values.get('id'))
    const other = world.submissions.find((s) => s !== own)
    values.set('token', (values.get('token') === 'own' ? own : other)?.token ?? 'no-token')
  }
  const verdicts: Verdict[] = []
  let pathValid = true
  let hostile: string | null = null
  let extraQuery = ''
  const change = plan.paramChange
  const target = params['param' in change ? change.param % params.length : 0]
  if (target && change.kind === 'breakParam') {
    const breakers = paramBreakers(op, target)
    values.set(target.name, breakers[change.variant % breakers.length] ?? '')
    pathValid = target.in !== 'path'
  } else if (target && change.kind === 'hostileParam') {
    hostile = target.name
    const current = values.get(target.name) ?? 'a'
    const unit = target.in === 'path' ? encodeURIComponent(cleanText(change.unit)) : change.unit
    values.set(target.name, `${current}${unit}`)
    pathValid = target.in !== 'path'
  } else if (target?.in === 'query' && change.kind === 'missingParam') {
    values.delete(target.name)
  } else if (change.kind === 'unknownParam') {
    extraQuery = '&debug=1'
    verdicts.push('unknown')
  } else if (target?.in === 'query' && change.kind === 'repeatParam' && values.has(target.name)) {
    extraQuery = `&${target.name}=${encodeURIComponent(values.get(target.name) ?? '')}`
    verdicts.push('unknown')
  }
  let path = op.path
  const query = new URLSearchParams()
  for (const param of params) {
    const value = values.get(param.name)
    if (param.in === 'path') {
      const segment = value ?? 'none'
      path = path.replace(`{${param.name}}`, pathValid ? encodeURIComponent(segment) : segment)
    } else if (value === undefined) {
      if (param.required) verdicts.push('invalid')
    } else {
      query.set(param.name, value)
      // How a parameter with hostile characters reads, the contract leaves open.
      verdicts.push(param.name === hostile ? 'unknown' : queryVerdict(op, param, value))
    }
  }
  // Path parameters that break their schema: whether 400 or 404, the contract leaves open.
  if (!pathValid) verdicts.push('unknown')
  const queryText = query.toString() + extraQuery
  const id = values.get('id') ?? ''
  return {
    url: queryText ? `${path}?${queryText}` : path,
    verdict: worst(...verdicts),
    reportExists: poolOf(op.path) === 'report' && pathValid && world.reports.includes(id),
    id,
  }
}

async function renderIfMatch(plan: Plan, id: string) {
  const row = await env.DB.prepare('SELECT etag FROM reports WHERE id = ?').bind(id).first()
  const current = `"${String(row?.etag ?? 'none')}"`
  const stale = '"0123456789abcdef01234567"'
  const choices: Record<Exclude<IfMatch, 'none'>, [string, Facts['ifMatch']]> = {
    current: [current, 'current'],
    star: ['*', 'current'],
    list: [`${stale}, ${current}`, 'current'],
    stale: [stale, 'stale'],
    weak: [`W/${current}`, 'other'],
    tooLong: [`"${'e'.repeat(199)}"`, 'other'],
  }
  if (plan.ifMatch === 'none') return { header: null, fact: 'none' as const }
  const [header, fact] = choices[plan.ifMatch]
  return { header, fact }
}

/** The Idempotency-Key: fresh, malformed, or the key of a first answer with its body or another. */
function renderKey(op: Operation, plan: Plan, body: Uint8Array | undefined) {
  const first = (world.answers.get(op.path) ?? []).at(-1)
  if ((plan.key === 'replay' || plan.key === 'reuse') && first) {
    const sent = plan.key === 'replay' ? first.body : body
    const same = sent?.length === first.body.length && sent.every((b, n) => b === first.body[n])
    return { key: first.key, body: sent, replay: same ? first.response : null, conflict: !same }
  }
  keys += 1
  const fresh = `fz-${SEED}-${keys}`
  const odd = [`with space ${keys}`, '', `tab\t${keys}`, ` padded-${keys} `][keys % 4] ?? ''
  const key = { none: null, fresh, replay: fresh, reuse: fresh, tooLong: 'k'.repeat(256), odd }[
    plan.key
  ]
  return { key, body, replay: null, conflict: plan.key === 'odd' ? null : false }
}

async function render(plan: Plan): Promise<{ sent: Sent; facts: Facts }> {
  const op = operations.find((candidate) => candidate.key === plan.op)
  if (!op) throw new Error(`the document has no ${plan.op}`)
  const headers: Record<string, string> = {}
  const auth = authHeader(plan.auth)
  if (auth !== null) headers.authorization = auth
  if (plan.origin !== null) headers.origin = plan.origin
  const params = renderParams(op, plan)
  const verdicts = [params.verdict]
  const ifMatch = await renderIfMatch(plan, params.id)
  if (ifMatch.header !== null) headers['if-match'] = ifMatch.header
  if (plan.ifMatch === 'tooLong') verdicts.push('invalid')

  let body: Uint8Array | undefined
  let mediaType: string | null = null
  let parsed: Record<string, unknown> | null = null
  if (op.body) {
    const valid = resolvePicks(plan.body) as Record<string, unknown>
    const changed = changeBody(doc, op, valid, plan.change)
    ;({ bytes: body, mediaType, parsed } = changed)
    verdicts.push(changed.verdict)
  } else if (op.method === 'POST') {
    // A body the document does not describe (Stripe's webhook): sent without one.
    verdicts.push('unknown')
  }

  const key = renderKey(op, plan, body)
  if (key.key !== null) headers['idempotency-key'] = key.key
  if (plan.key === 'tooLong') verdicts.push('invalid')
  if (plan.key === 'odd') verdicts.push('unknown')
  if (key.replay !== null) {
    // The first request's body again, as it was sent.
    ;({ body, mediaType, parsed } = { body: key.body, mediaType: 'application/json', parsed: null })
    verdicts.splice(0, verdicts.length, 'valid')
  }
  if (mediaType !== null) headers['content-type'] = mediaType

  const method = plan.route?.method ?? op.method
  const url = plan.route ? params.url.replace(/(\?|$)/, `${plan.route.suffix}$1`) : params.url
  const browserWrite = !op.secured && op.method === 'POST' && op.body !== null
  const offsite = ['url', 'success_url', 'cancel_url'].some((name) => {
    const value = parsed?.[name]
    return typeof value === 'string' && !ALLOWED_SITES.includes(parseUrl(value)?.origin ?? '')
  })
  const origin = plan.origin
  const foreignOrigin =
    !browserWrite || origin === null || ALLOWED_SITES.includes(origin)
      ? false
      : FOREIGN_ORIGINS.includes(origin) || null
  return {
    sent: { method, url, headers, body: method === 'GET' ? undefined : body },
    facts: {
      op: plan.route ? null : op,
      browserWrite,
      authFails: op.secured && !['admin', 'lowercase', 'adminEditor', 'editor'].includes(plan.auth),
      weakRole: op.secured && plan.auth === 'editor',
      oversize: (body?.length ?? 0) > JSON_LIMIT,
      mediaRefused: ['POST', 'PATCH', 'PUT'].includes(op.method) && !isJsonMediaType(mediaType),
      foreignOrigin,
      verdict: worst(...verdicts),
      parsed,
      offsite,
      ifMatch: ifMatch.fact,
      reportExists: params.reportExists,
      replay: key.replay,
      conflict: key.conflict,
      keyToRemember: plan.key === 'fresh' || plan.key === 'replay' ? key.key : null,
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The contract's answer

interface Answer {
  status: number
  headers: Headers
  text: string
  json: unknown
}

/** Every error is problem details with the contract's fields, code and status. */
function problemBreaches(answer: Answer): string[] {
  const breaches: string[] = []
  const type = answer.headers.get('content-type') ?? ''
  if (!/^application\/problem\+json(;|$)/.test(type)) {
    breaches.push(`an error answered as ${type}, not application/problem+json`)
  }
  const problem = (answer.json ?? {}) as Record<string, unknown>
  for (const field of ['type', 'title', 'detail', 'code']) {
    if (typeof problem[field] !== 'string') breaches.push(`the problem has no string ${field}`)
  }
  if (problem.status !== answer.status) breaches.push('the problem’s status is not the HTTP one')
  const statuses = PROBLEM_STATUS[String(problem.code)]
  if (!statuses) breaches.push(`the problem’s code ${String(problem.code)} is not the contract’s`)
  else if (!statuses.includes(answer.status)) {
    breaches.push(`the problem’s code ${String(problem.code)} does not go with ${answer.status}`)
  }
  if (/at .*\.(ts|js):\d+|SQLITE|D1_ERROR/.test(answer.text)) breaches.push('the problem leaks')
  if (answer.status === 401 && !/^Bearer/.test(answer.headers.get('www-authenticate') ?? '')) {
    breaches.push('a 401 without WWW-Authenticate: Bearer')
  }
  if (answer.status === 429 && !answer.headers.has('retry-after')) {
    breaches.push('a 429 without Retry-After')
  }
  return breaches
}

/** What every answer owes: no 5xx, a status the document lists, errors as problem details. */
function commonBreaches(op: Operation | null | undefined, answer: Answer): string[] {
  const breaches: string[] = []
  if (answer.status >= 500) breaches.push(`answered ${answer.status}`)
  if (answer.status >= 400) breaches.push(...problemBreaches(answer))
  if (op && !op.statuses.has(answer.status)) {
    breaches.push(`${answer.status} is not documented for ${op.key} (${[...op.statuses]})`)
  }
  return breaches
}

/**
 * The statuses the contract allows for these facts, or null when it leaves the answer open.
 * Errors come in the contract's order: 413, 415, 403 (origin), 409 (a reused key), 400.
 */
function allowedStatuses(facts: Facts, op: Operation): Set<number> | null {
  const early = facts.oversize || facts.mediaRefused || facts.foreignOrigin === true
  const oddOrigin = facts.foreignOrigin === null && !facts.oversize && !facts.mediaRefused
  if (facts.replay !== null && !early) return new Set(oddOrigin ? [201, 403] : [201])
  const order: [boolean, number[]][] = [
    [facts.oversize, [413]],
    [facts.mediaRefused, [415]],
    [facts.foreignOrigin === true, [403]],
    [facts.conflict === true, facts.verdict === 'invalid' ? [409, 400] : [409]],
    [facts.verdict === 'invalid', [400]],
  ]
  const first = order.find(([applies]) => applies)?.[1]
  const allowed = new Set<number>(first ?? [])
  if (facts.authFails) return new Set([401, ...allowed])
  if (facts.weakRole && op.statuses.has(403)) allowed.add(403)
  if (oddOrigin) allowed.add(403)
  if (facts.conflict === null && !early) allowed.add(409)
  if (first) return allowed
  if (facts.verdict !== 'valid') return null
  if (op.key === 'POST /v1/reports') return new Set([facts.offsite ? 422 : 201, ...allowed])
  if (op.key === 'POST /v1/checkout') return new Set([404, facts.offsite ? 422 : 201, ...allowed])
  return null
}

function statusBreaches(facts: Facts, answer: Answer, sent: Sent): string[] {
  const { status } = answer
  const code = (answer.json as { code?: string } | null)?.code
  const op = facts.op
  if (!op) {
    // The admin API's guard answers before the router knows the route is missing.
    const guarded = sent.url.startsWith('/v1/admin') && [401, 403].includes(status)
    return status === 404 || guarded ? [] : [`a route the document lacks answered ${status}`]
  }
  const breaches = commonBreaches(op, answer)
  const allowed = allowedStatuses(facts, op)
  if (allowed && !allowed.has(status)) {
    breaches.push(`the contract calls for ${[...allowed].join(' or ')}, not ${status}`)
  }
  if (!facts.oversize && status === 413) breaches.push('413 for a body within the limit')
  if (!facts.mediaRefused && status === 415) breaches.push('415 for a JSON media type')
  if (!facts.authFails && status === 401) breaches.push('401 for a valid token')
  if (facts.foreignOrigin === false && code === 'origin_not_allowed' && status === 403) {
    breaches.push('403 origin_not_allowed for an allowed or absent Origin')
  }
  if (op.secured && !facts.weakRole && code === 'forbidden') breaches.push('403 for an admin')
  if (facts.verdict === 'valid' && status === 400) breaches.push('400 for a valid request')
  if (status === 412 && (facts.ifMatch === 'none' || facts.ifMatch === 'current')) {
    breaches.push(`412 ${facts.ifMatch === 'none' ? 'without If-Match' : 'for the current ETag'}`)
  }
  const decided = facts.verdict === 'valid' && !facts.authFails && !facts.mediaRefused
  if (decided && facts.ifMatch === 'stale' && facts.reportExists && status < 300) {
    breaches.push(`${status} for a stale If-Match`)
  }
  if (facts.replay !== null && status === 201 && answer.text !== facts.replay) {
    breaches.push('a replayed Idempotency-Key got another answer than the first')
  }
  return breaches
}

// ---------------------------------------------------------------------------------------------
// What an accepted request stored

/** The text with what cleaning is about escaped, as JSON escapes the rest. */
function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u200e\u202d\u202e\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The first `length` code points, escaped, so that a report is well-formed text. */
function excerpt(text: string, length = 600): string {
  const points = [...text]
  const cut = points.length > length ? `… (${points.length} code points)` : ''
  return escapeInvisible(points.slice(0, length).join('')) + cut
}

const show = (value: unknown) => escapeInvisible(JSON.stringify(value) ?? String(value))

function sameText(stored: unknown, sent: string): string | null {
  const expected = cleanText(sent)
  if (typeof stored !== 'string') {
    return expected.trim() === '' ? null : `nothing stored for ${show(sent)}`
  }
  const unclean = uncleanCharacters(stored)
  if (unclean.length) return `stored ${show(stored)}, with ${show(unclean.join(''))} left in`
  if (stored.trim() !== expected.trim()) {
    return `stored ${show(stored)} for ${show(sent)}, not ${show(expected)}`
  }
  return null
}

interface ReportDetail extends Record<string, unknown> {
  status: string
  submission_list: Record<string, unknown>[]
}

/** Free text as stored: the report as editors read it, or the accepted write's own answer. */
async function storedTexts(op: Operation, parsed: Record<string, unknown>, answer: Answer) {
  const written = answer.json as Record<string, unknown>
  if (op.key === 'POST /v1/reports') {
    const created = written as { id: string; submission_id: string; submissions: number }
    const response = await call(`/v1/admin/reports/${created.id}`, {
      headers: { authorization: ADMIN },
    })
    const detail = (await response.json()) as ReportDetail
    const own = detail.submission_list.find((s) => s.id === created.submission_id) ?? {}
    // The report's own fields are this reader's only when the report is new.
    return { stored: { ...(created.submissions === 1 ? detail : {}), ...own }, detail }
  }
  if (op.key === 'PATCH /v1/admin/reports/{id}') {
    const events = (written.events ?? []) as { note: string | null }[]
    const note = events.findLast((event) => event.note !== null)?.note
    return { stored: { ...written, note }, detail: null }
  }
  return { stored: written, detail: null }
}

/** Each free-text field of an accepted write stored cleaned, otherwise as sent. */
async function storedTextBreaches(
  op: Operation,
  parsed: Record<string, unknown>,
  answer: Answer,
): Promise<string[]> {
  if (!answer.json || typeof answer.json !== 'object') return []
  const { stored, detail } = await storedTexts(op, parsed, answer)
  const breaches: string[] = []
  const honeypot = typeof parsed.website === 'string' && parsed.website !== ''
  if (honeypot && detail && detail.status !== 'spam') {
    breaches.push(`a honeypot report was stored as ${detail.status}, not spam`)
  }
  for (const field of freeTextFields(doc, op)) {
    const sent = parsed[field.name]
    if (typeof sent !== 'string' || !(field.name in stored)) continue
    const breach = sameText(stored[field.name], sent)
    if (breach) breaches.push(`${field.name}: ${breach}`)
  }
  return breaches
}

function remember(op: Operation, facts: Facts, sent: Sent, answer: Answer): void {
  const body = answer.json as Record<string, unknown> | null
  if (!body || typeof body !== 'object') return
  if (typeof body.next_cursor === 'string') {
    world.cursors.set(op.path, [...(world.cursors.get(op.path) ?? []), body.next_cursor])
  }
  if (answer.status !== 201 || facts.replay !== null) return
  if (facts.keyToRemember && sent.body) {
    const answers = world.answers.get(op.path) ?? []
    answers.push({ key: facts.keyToRemember, body: sent.body, response: answer.text })
    world.answers.set(op.path, answers)
  }
  const id = typeof body.id === 'string' ? body.id : null
  const pool = POOL_OF[op.path.split('/').at(-1) ?? '']
  if (id && pool === 'report' && !world.reports.includes(id)) world.reports.push(id)
  if (id && pool === 'editor') world.editors.push(id)
  if (id && pool === 'tier') world.tiers.push(id)
  if (typeof body.submission_id === 'string' && typeof body.status_url === 'string') {
    const token = new URL(body.status_url).searchParams.get('token') ?? ''
    world.submissions.push({ id: body.submission_id, token })
  }
}

// ---------------------------------------------------------------------------------------------
// One request, every check

function describeRequest(sent: Sent, answer: Answer): string {
  const body = sent.body === undefined ? '(none)' : new TextDecoder().decode(sent.body)
  return [
    `${sent.method} ${sent.url}`,
    `headers: ${show(sent.headers)}`,
    `body (as a JSON string): ${excerpt(JSON.stringify(body))}`,
    `answer: ${answer.status} ${excerpt(answer.text)}`,
  ].join('\n')
}

/** One line: the request and the status it got. */
function summary(sent: Sent, answer: Answer): string {
  const body = sent.body === undefined ? '' : ` ${new TextDecoder().decode(sent.body)}`
  return `${sent.method} ${sent.url}${excerpt(body, 200)} → ${answer.status}`
}

async function send(sent: Sent): Promise<Answer> {
  const response = await call(sent.url, {
    method: sent.method,
    headers: sent.headers,
    ...(sent.body === undefined ? {} : { body: sent.body }),
    env: DEPLOYMENT,
  })
  const text = await response.text()
  let json: unknown = null
  try {
    json = JSON.parse(text)
  } catch {
    json = null
  }
  return { status: response.status, headers: response.headers, text, json }
}

async function exercise(plan: Plan): Promise<void> {
  const { sent, facts } = await render(plan)
  const before = await snapshot()
  const answer = await send(sent)
  const breaches = statusBreaches(facts, answer, sent)
  const refused = answer.status >= 300 || sent.method === 'GET' || facts.replay !== null
  breaches.push(...dataBreaches(before, await snapshot(), refused, `the ${answer.status} answer`))
  if (!refused && facts.op && facts.parsed) {
    breaches.push(...(await storedTextBreaches(facts.op, facts.parsed, answer)))
  }
  if (facts.op && answer.status < 300) remember(facts.op, facts, sent, answer)
  if (breaches.length) {
    throw new Error(`${breaches.join('\n')}\n--- request ---\n${describeRequest(sent, answer)}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Editors at work: changes to a few fresh reports, one by one or several at once

interface EditorChange {
  path: '' | '/correction'
  body: unknown
  ifMatch: 'none' | 'current' | 'stale'
}

interface Step {
  report: number
  changes: EditorChange[]
}

async function sendChange(id: string, ids: string[], change: EditorChange) {
  const headers: Record<string, string> = {
    authorization: ADMIN,
    'content-type': 'application/json',
  }
  if (change.ifMatch === 'current') {
    const row = await env.DB.prepare('SELECT etag FROM reports WHERE id = ?').bind(id).first()
    headers['if-match'] = `"${String(row?.etag)}"`
  }
  if (change.ifMatch === 'stale') headers['if-match'] = '"0123456789abcdef01234567"'
  const body = resolvePicks(change.body, (value) => ids[value.n % ids.length] ?? '')
  const sent: Sent = {
    method: change.path ? 'POST' : 'PATCH',
    url: `/v1/admin/reports/${id}${change.path}`,
    headers,
    body: encoder.encode(JSON.stringify(body)),
  }
  return { sent, answer: await send(sent) }
}

/** Three fresh reports; each step's changes sent at once; the rules checked after each step. */
async function editorsAtWork(steps: Step[]): Promise<void> {
  const ids: string[] = []
  for (let n = 0; n < 3; n++) {
    const response = await call('/v1/reports', { json: reportInput() })
    ids.push(((await response.json()) as { id: string }).id)
  }
  const earlier: string[] = []
  for (const step of steps) {
    const id = ids[step.report % ids.length] ?? ''
    const before = await snapshot()
    const results = await Promise.all(step.changes.map((change) => sendChange(id, ids, change)))
    const breaches = results.flatMap(({ sent, answer }, n) => {
      const path = sent.url.replace(/^\/v1\/admin\/reports\/[^/]+/, '/v1/admin/reports/{id}')
      const op = operations.find((candidate) => candidate.key === `${sent.method} ${path}`)
      const found = commonBreaches(op, answer)
      const ifMatch = step.changes[n]?.ifMatch
      if (ifMatch === 'none' && answer.status === 412) {
        found.push(`412 without If-Match, ${step.changes.length} changes at once`)
      }
      if (ifMatch === 'stale' && answer.status < 300) found.push(`${answer.status} when stale`)
      if (answer.status === 400) found.push('400 for a valid change')
      return found
    })
    const refused = results.every(({ answer }) => answer.status >= 300)
    breaches.push(...dataBreaches(before, await snapshot(), refused, 'refused changes'))
    if (breaches.length) {
      const requests = results.map(({ sent, answer }) =>
        answer.status >= 400 ? describeRequest(sent, answer) : summary(sent, answer),
      )
      throw new Error(
        `${[...new Set(breaches)].join('\n')}\n--- reports ---\n${ids.join(', ')}\n` +
          `--- earlier changes ---\n${earlier.join('\n')}\n--- requests ---\n${requests.join('\n')}`,
      )
    }
    earlier.push(...results.map(({ sent, answer }) => summary(sent, answer)))
  }
}

// ---------------------------------------------------------------------------------------------
// Stripe's webhook: events of supporters' lives, changed in hostile ways, signed or not

const HOSTILE_VALUES: unknown[] = [
  -1,
  -500,
  0,
  1e20,
  2 ** 53,
  1.5,
  '',
  'x'.repeat(3_000),
  'e\u0000\u202e\ud800mail',
  null,
  true,
  [],
  {},
]

type Signing = 'valid' | 'missing' | 'wrongSecret' | 'stale' | 'future' | 'garbled'

interface Delivery {
  life: number
  event: number
  /** The leaf of the event to change (-1: none), and its new value (-1: removed). */
  leaf: number
  value: number
  signing: Signing
  mediaType: string | null
  raw: 'none' | 'notJson' | 'duplicateKey' | 'bom' | 'deep'
  /** Whether Stripe delivers the event again after it was accepted. */
  again: boolean
}

type Path = (string | number)[]

function leavesOf(value: unknown, path: Path = []): Path[] {
  if (!value || typeof value !== 'object') return [path]
  return Object.entries(value).flatMap(([key, child]) =>
    leavesOf(child, [...path, Array.isArray(value) ? Number(key) : key]),
  )
}

function setLeaf(target: unknown, path: Path, value: unknown): void {
  const key = path.at(-1)
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], target)
  if (key === undefined || !parent || typeof parent !== 'object') return
  if (value === undefined) delete (parent as Record<string, unknown>)[key]
  else (parent as Record<string, unknown>)[key] = value
}

/** Four givers and four subscribers, each with the events of their life with us. */
function supportersLives(): (() => object)[][] {
  const givers = [0, 1, 2, 3].map(() => giver())
  const subscribers = [0, 1, 2, 3].map(() => subscriber())
  return [
    ...givers.map((g) => [
      () => g.completed(),
      () => g.completedUnpaid(),
      () => g.asyncSucceeded(),
      () => g.asyncFailed(),
      () => g.refunded(500),
      () => g.dispute('created', 'needs_response'),
      () => g.dispute('closed', 'won'),
    ]),
    ...subscribers.map((s) => [
      () => s.completed(),
      () => s.state('created', 'active'),
      () => s.state('updated', 'past_due'),
      () => s.state('deleted', 'canceled'),
      () => s.invoice(true),
      () => s.invoice(false),
    ]),
  ]
}

async function signed(payload: string, signing: Signing): Promise<string | null> {
  const now = Math.floor(Date.now() / 1000)
  switch (signing) {
    case 'valid':
      return signature(payload)
    case 'wrongSecret':
      return signature(payload, { secret: 'whsec_not_the_endpoint_secret' })
    case 'stale':
      return signature(payload, { timestamp: now - 600 })
    case 'future':
      return signature(payload, { timestamp: now + 600 })
    case 'garbled':
      return 't=now,v1=deadbeef'
    case 'missing':
      return null
  }
}

async function stripeDelivery(lives: (() => object)[][], delivery: Delivery): Promise<Sent> {
  const events = lives[delivery.life % lives.length] ?? []
  const event = events[delivery.event % events.length]?.() ?? {}
  const leaves = leavesOf(event)
  const leaf = delivery.leaf < 0 ? undefined : leaves[delivery.leaf % leaves.length]
  if (leaf) setLeaf(event, leaf, delivery.value < 0 ? undefined : HOSTILE_VALUES[delivery.value])
  let payload = JSON.stringify(event, null, 2)
  if (delivery.raw === 'notJson') payload = payload.slice(0, -2)
  if (delivery.raw === 'duplicateKey') payload = payload.replace('{', '{\n  "type": "x",')
  if (delivery.raw === 'bom') payload = `\ufeff${payload}`
  if (delivery.raw === 'deep') {
    payload = payload.replace('{', `{\n  "deep": ${'['.repeat(5_000)}${']'.repeat(5_000)},`)
  }
  const headers: Record<string, string> = {
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
  }
  const header = await signed(payload, delivery.signing)
  if (header !== null) headers['stripe-signature'] = header
  if (delivery.mediaType !== null) headers['content-type'] = delivery.mediaType
  return { method: 'POST', url: '/v1/webhooks/stripe', headers, body: encoder.encode(payload) }
}

async function deliver(lives: (() => object)[][], delivery: Delivery): Promise<void> {
  const op = operations.find((candidate) => candidate.key === 'POST /v1/webhooks/stripe')
  const sent = await stripeDelivery(lives, delivery)
  const before = await snapshot()
  const answer = await send(sent)
  const code = (answer.json as { code?: string } | null)?.code
  const breaches = commonBreaches(op, answer)
  const json = isJsonMediaType(delivery.mediaType)
  if (!json && answer.status !== 415) {
    breaches.push(`${answer.status} for a body of type ${delivery.mediaType}, not 415`)
  }
  if (json && delivery.signing !== 'valid' && code !== 'signature_invalid') {
    breaches.push(`a ${delivery.signing} signature answered ${answer.status}`)
  }
  if (json && delivery.signing === 'valid' && delivery.raw === 'notJson') {
    if (code !== 'validation_failed') breaches.push(`signed broken JSON answered ${answer.status}`)
  }
  const refused = answer.status >= 300
  breaches.push(...dataBreaches(before, await snapshot(), refused, `the ${answer.status} answer`))
  if (!refused && delivery.again) {
    const between = await snapshot()
    const payload = new TextDecoder().decode(sent.body)
    const headers = { ...sent.headers, 'stripe-signature': await signature(payload) }
    const again = await send({ ...sent, headers })
    if (again.status !== 200) breaches.push(`the same event again answered ${again.status}`)
    breaches.push(...dataBreaches(between, await snapshot(), true, 'the same event again'))
  }
  if (breaches.length) {
    throw new Error(`${breaches.join('\n')}\n--- request ---\n${describeRequest(sent, answer)}`)
  }
}

// ---------------------------------------------------------------------------------------------

function triageBodies() {
  const body = (key: string) => operations.find((op) => op.key === key)?.body
  const patch = body('PATCH /v1/admin/reports/{id}')
  const correction = body('POST /v1/admin/reports/{id}/correction')
  if (!patch || !correction) throw new Error('the document lacks the triage operations')
  return { patch, correction }
}

beforeAll(seedWorld)

describe('the API under generated and hostile requests', () => {
  it(
    'answers every generated and hostile request as the contract says, storing nothing it refuses',
    { timeout: 90_000 },
    async () => {
      expect(operations.length).toBeGreaterThan(20)
      const plans = fc.oneof(
        ...operations.map((op) => ({ weight: op.body ? 5 : 2, arbitrary: planFor(op) })),
        { weight: 4, arbitrary: fc.oneof(...operations.map(wrongRouteFor)) },
      )
      await fc.assert(fc.asyncProperty(plans, exercise), {
        seed: SEED,
        numRuns: 2_500,
        plugins: [fc.interruptAfterTimeLimit(30_000)],
      })
    },
  )

  it(
    'keeps the report workflow’s rules under any sequence of editors’ changes',
    { timeout: 60_000 },
    async () => {
      const { patch, correction } = triageBodies()
      // A third of the changes mark duplicates, so that chains and cycles get their chance.
      const duplicate = fc.record({
        status: fc.constant('duplicate'),
        duplicate_of: fc.nat(2).map((n) => new Pick('report', n)),
      })
      const change = fc
        .record({
          correct: fc.boolean(),
          ifMatch: weighted<EditorChange['ifMatch']>([
            ['none', 3],
            ['current', 1],
            ['stale', 1],
          ]),
          patch: fc.oneof({ weight: 2, arbitrary: validBody(doc, patch) }, duplicate),
          correction: validBody(doc, correction),
        })
        .map(({ correct, ifMatch, patch, correction }) => ({
          path: correct ? ('/correction' as const) : ('' as const),
          ifMatch,
          body: correct ? correction : patch,
        }))
      const step = fc.record({ report: fc.nat(2), changes: fc.tuple(change) })
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 16 }), editorsAtWork),
        { seed: SEED, numRuns: 60, plugins: [fc.interruptAfterTimeLimit(10_000)] },
      )
    },
  )

  it(
    'never answers 412 without If-Match, however many editors change a report at once',
    { timeout: 60_000 },
    async () => {
      const { patch } = triageBodies()
      // Assigning and annotating never conflict with each other; they can only race.
      const change = validBody(doc, patch).map((value) => {
        const { assignee, note } = value as { assignee?: string | null; note?: string }
        const body = { assignee: assignee ?? 'Desk', ...(note === undefined ? {} : { note }) }
        return { path: '' as const, ifMatch: 'none' as const, body }
      })
      const burst = fc.record({
        report: fc.nat(2),
        changes: fc.array(change, { minLength: 2, maxLength: 16 }),
      })
      await fc.assert(
        fc.asyncProperty(fc.array(burst, { minLength: 1, maxLength: 3 }), editorsAtWork),
        { seed: SEED, numRuns: 25, plugins: [fc.interruptAfterTimeLimit(8_000)] },
      )
    },
  )

  it(
    'answers Stripe’s events, signed or not and however changed, with nothing half-stored',
    { timeout: 60_000 },
    async () => {
      const lives = supportersLives()
      const delivery = fc.record({
        life: fc.nat(),
        event: fc.nat(),
        leaf: fc.oneof(fc.constant(-1), fc.nat()),
        value: fc.integer({ min: -1, max: HOSTILE_VALUES.length - 1 }),
        signing: weighted<Signing>([
          ['valid', 5],
          ['missing', 1],
          ['wrongSecret', 1],
          ['stale', 1],
          ['future', 1],
          ['garbled', 1],
        ]),
        mediaType: fc.oneof(
          { weight: 8, arbitrary: fc.constant('application/json; charset=utf-8') },
          {
            weight: 2,
            arbitrary: fc.constantFrom<string | null>(
              ...JSON_MEDIA_TYPES,
              ...OTHER_MEDIA_TYPES,
              null,
            ),
          },
        ),
        raw: weighted<Delivery['raw']>([
          ['none', 6],
          ['notJson', 1],
          ['duplicateKey', 1],
          ['bom', 1],
          ['deep', 1],
        ]),
        again: fc.boolean(),
      })
      await fc.assert(
        fc.asyncProperty(delivery, (d) => deliver(lives, d)),
        { seed: SEED, numRuns: 500, plugins: [fc.interruptAfterTimeLimit(10_000)] },
      )
    },
  )
})
