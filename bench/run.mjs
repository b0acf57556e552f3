#!/usr/bin/env node
// `npm run bench`: what each request costs, against the runtime's own floor.
//
// The built Worker and a tiny reference Worker (bench/floor: one D1 INSERT or SELECT per
// request) run in workerd through Miniflare, each with its D1 in a temporary folder. This
// process drives them over 127.0.0.1 with autocannon, bounded in time, and reports each
// path's throughput and latency as a ratio to the floor measured in the same run, since
// absolute figures drift between machines. Writes bench/results/latest.json.
import autocannon from 'autocannon'
import { createHmac, randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { buildWidget } from '../scripts/build-widget.mjs'
import { bundleWorker, startWorker } from '../scripts/local-worker.mjs'

const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
/** Report submissions per measured run: bounded in count, so the invariant can be exact. */
const REPORTS = Number(process.env.BENCH_REPORTS ?? 3000)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8)
const SITE = 'https://news.example'
const ADMIN_TOKEN = 'bench-admin-token'
const WEBHOOK_SECRET = 'whsec_bench_0123456789abcdef'
const results = fileURLToPath(new URL('./results/', import.meta.url))

/**
 * Runs autocannon against one path after a short warm-up, for DURATION seconds or, with
 * `amount`, for exactly that many requests (so every request has been answered when it ends).
 * Counts statuses itself; `succeeded` counts the 2xx answers of the warm-up too.
 */
async function measure(name, url, { amount, ...options } = {}) {
  const statuses = {}
  let succeeded = 0
  // autocannon ends runs on its one-second tick; the time to the last answer is the real one.
  const run = (bounds, measured) =>
    new Promise((resolve, reject) => {
      const started = performance.now()
      let last = started
      const instance = autocannon(
        { url, connections: CONNECTIONS, ...bounds, ...options },
        (error, result) =>
          error ? reject(error) : resolve({ ...result, seconds: (last - started) / 1000 }),
      )
      instance.on('response', (_client, status) => {
        last = performance.now()
        if (status >= 200 && status < 300) succeeded += 1
        if (measured) statuses[status] = (statuses[status] ?? 0) + 1
      })
    })
  await run(amount ? { amount: Math.ceil(amount / 10) } : { duration: 1 }, false)
  const result = await run(amount ? { amount } : { duration: DURATION }, true)
  const fiveXx = Object.entries(statuses).reduce(
    (n, [status, count]) => n + (Number(status) >= 500 ? count : 0),
    0,
  )
  const row = {
    name,
    requests_per_second: Math.round(result.requests.total / result.seconds),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    server_errors: fiveXx,
    statuses,
    succeeded,
  }
  console.log(
    `  ${name}: ${row.requests_per_second} req/s, p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms, statuses ${JSON.stringify(statuses)}`,
  )
  return row
}

const json = (body) => ({ 'content-type': 'application/json', body: JSON.stringify(body) })

/** A report submission whose body `body()` makes afresh for every request. */
function reportRequest(body) {
  return {
    method: 'POST',
    path: '/v1/reports',
    setupRequest: (request) => ({
      ...request,
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' },
      body: JSON.stringify(body()),
    }),
  }
}

/** A new quote on a new article: opens a report. */
const newReport = () =>
  reportRequest(() => ({
    url: `${SITE}/bench/${randomUUID()}`,
    quote: `words ${randomUUID()}`,
    suggestion: 'better words',
  }))

/** The same quote again: joins the open report, as readers of a viral typo do. */
const joinReport = () =>
  reportRequest(() => ({
    url: `${SITE}/bench/viral`,
    quote: 'The Viral Typo',
    comment: `me too ${randomUUID()}`,
  }))

/**
 * A signed invoice.paid of API 2026-10-28.endive for a subscription of ours: each one another
 * supporter's renewal, as on the day the monthly plans renew.
 */
function invoicePaidRequest() {
  return {
    method: 'POST',
    path: '/v1/webhooks/stripe',
    setupRequest: (request) => {
      const created = Math.floor(Date.now() / 1000)
      const invoice = `in_${randomUUID().replace(/-/g, '')}`
      const person = randomUUID().replace(/-/g, '').slice(0, 14)
      const payload = JSON.stringify({
        id: `evt_${randomUUID().replace(/-/g, '')}`,
        object: 'event',
        api_version: '2026-10-28.endive',
        created,
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: 'invoice.paid',
        data: {
          object: {
            id: invoice,
            object: 'invoice',
            amount_due: 500,
            amount_paid: 500,
            amount_remaining: 0,
            billing_reason: 'subscription_cycle',
            created,
            currency: 'usd',
            customer: `cus_${person}`,
            customer_email: `patron-${person}@example.org`,
            customer_name: 'Bench Patron',
            livemode: false,
            metadata: {},
            parent: {
              type: 'subscription_details',
              quote_details: null,
              subscription_details: {
                metadata: { readerdesk: '1' },
                subscription: `sub_${person}`,
              },
            },
            status: 'paid',
            status_transitions: {
              finalized_at: created,
              paid_at: created,
              marked_uncollectible_at: null,
              voided_at: null,
            },
            total: 500,
          },
        },
      })
      const signature = createHmac('sha256', WEBHOOK_SECRET)
        .update(`${created}.${payload}`)
        .digest('hex')
      return {
        ...request,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': `t=${created},v1=${signature}`,
        },
        body: payload,
      }
    },
  }
}

/** Fills the reports table to `total` rows in SQL, spread over articles, statuses and time. */
async function seedReports(db, from, total) {
  for (let start = from; start < total; start += 20_000) {
    const end = Math.min(total, start + 20_000)
    await db
      .prepare(
        `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
         INSERT INTO reports (id, url, quote, quote_key, kind, status, submissions, first_reported_at,
           last_reported_at, updated_at, etag)
         SELECT printf('rep_seed_%08d', n), '${SITE}/archive/' || (n % 5000), 'seeded quote ' || n, 'seeded quote ' || n,
           CASE n % 5 WHEN 0 THEN 'typo' WHEN 1 THEN 'factual' WHEN 2 THEN 'clarification' WHEN 3 THEN 'translation' ELSE 'other' END,
           CASE n % 10 WHEN 0 THEN 'triaged' WHEN 1 THEN 'fixed' WHEN 2 THEN 'rejected' WHEN 3 THEN 'spam' ELSE 'new' END,
           1 + n % 7,
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + n * 60, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + n * 60, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + n * 60, 'unixepoch'),
           lower(hex(randomblob(12)))
         FROM seq`,
      )
      .bind(start + 1, end)
      .run()
  }
}

/** The cursor the API would issue after the row at `fraction` of the default list. */
async function deepCursor(db, fraction) {
  const { n } = await db.prepare("SELECT count(*) AS n FROM reports WHERE status <> 'spam'").first()
  const row = await db
    .prepare(
      "SELECT first_reported_at, id FROM reports WHERE status <> 'spam' ORDER BY first_reported_at DESC, id DESC LIMIT 1 OFFSET ?",
    )
    .bind(Math.floor(n * fraction))
    .first()
  const cursor = Buffer.from(
    JSON.stringify({ v: 1, s: 'reports:newest', k: [row.first_reported_at, row.id] }),
  ).toString('base64url')
  return encodeURIComponent(cursor)
}

async function count(db, table) {
  return (await db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n
}

/** The floor as the mean of its runs before and after the paths. */
function meanOf(name, before, after) {
  const mean = (key) => Math.round((before[key] + after[key]) / 2)
  return {
    name,
    requests_per_second: mean('requests_per_second'),
    p50_ms: mean('p50_ms'),
    p99_ms: mean('p99_ms'),
    errors: before.errors + after.errors,
    server_errors: before.server_errors + after.server_errors,
    runs: [before.requests_per_second, after.requests_per_second],
  }
}

const ratio = (value, floor) => Math.round((value / floor) * 100) / 100

async function main() {
  console.log('building the Worker, the floor and the widget')
  const app = bundleWorker()
  const floorBundle = bundleWorker('bench/floor/wrangler.toml')
  const widget = await buildWidget({ quiet: true })

  console.log('floor: one D1 INSERT, one D1 SELECT')
  const floor = await startWorker({
    bundle: floorBundle.outdir,
    migrations: 'bench/floor/migrations',
  })
  await floor.db
    .prepare("INSERT INTO items (id, body, created_at) VALUES ('known', 'x', '2026-01-01')")
    .run()
  const floorRuns = async () => [
    await measure('floor INSERT', `${floor.url}/insert`, { method: 'POST', body: 'x' }),
    await measure('floor SELECT', `${floor.url}/select?id=known`),
  ]
  const [writeBefore, readBefore] = await floorRuns()

  console.log('readerdesk')
  const worker = await startWorker({
    bundle: app.outdir,
    bindings: {
      ALLOWED_ORIGINS: SITE,
      ADMIN_TOKEN,
      IP_HASH_SALT: 'bench',
      RATE_LIMIT_REPORTS_PER_MINUTE: '0',
      STRIPE_SECRET_KEY: 'sk_test_bench',
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  })
  const { url, db } = worker
  const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }
  const paths = {}

  paths.health = await measure('GET /health', `${url}/health`)

  const submissionsBefore = await count(db, 'submissions')
  paths.report_new = await measure('POST /v1/reports (new report)', url, {
    amount: REPORTS,
    requests: [newReport()],
  })
  paths.report_join = await measure('POST /v1/reports (joining a report)', url, {
    amount: REPORTS,
    requests: [joinReport()],
  })
  const stored = (await count(db, 'submissions')) - submissionsBefore
  const created = paths.report_new.succeeded + paths.report_join.succeeded

  const paymentsBefore = await count(db, 'support_payments')
  paths.webhook = await measure('POST /v1/webhooks/stripe (signed invoice.paid)', url, {
    amount: REPORTS,
    requests: [invoicePaidRequest()],
  })
  const payments = (await count(db, 'support_payments')) - paymentsBefore

  const article = `${SITE}/bench/corrected`
  for (let i = 0; i < 12; i++) {
    const report = await fetch(`${url}/v1/reports`, {
      method: 'POST',
      ...json({ url: article, quote: `fixed quote ${i}` }),
    }).then((r) => r.json())
    await fetch(`${url}/v1/admin/reports/${report.id}/correction`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'correction', text: `Correction ${i}.` }),
    })
  }
  paths.corrections = await measure(
    'GET /v1/corrections?url=',
    `${url}/v1/corrections?url=${encodeURIComponent(article)}`,
  )

  await worker.close()

  // The editors' list, on a database of its own holding exactly 1 000, then 100 000 reports.
  const listing = await startWorker({
    bundle: app.outdir,
    bindings: { ALLOWED_ORIGINS: SITE, ADMIN_TOKEN, IP_HASH_SALT: 'bench' },
  })
  const listPages = async (key, size) => {
    paths[`admin_first_${key}`] = await measure(
      `GET /v1/admin/reports, first page, ${size} reports`,
      `${listing.url}/v1/admin/reports`,
      admin,
    )
    paths[`admin_deep_${key}`] = await measure(
      `GET /v1/admin/reports, deep page, ${size} reports`,
      `${listing.url}/v1/admin/reports?cursor=${await deepCursor(listing.db, 0.9)}`,
      admin,
    )
  }
  await seedReports(listing.db, 0, 1_000)
  await listPages('1k', '1 000')
  await seedReports(listing.db, 1_000, 100_000)
  console.log(`  seeded to ${await count(listing.db, 'reports')} reports`)
  await listPages('100k', '100 000')
  await listing.close()

  console.log('floor again, so that drift during the run averages out')
  const [writeAfter, readAfter] = await floorRuns()
  await floor.close()
  const floorWrite = meanOf('floor: one D1 INSERT', writeBefore, writeAfter)
  const floorRead = meanOf('floor: one D1 SELECT', readBefore, readAfter)

  const writes = new Set(['report_new', 'report_join', 'webhook'])
  const table = Object.entries(paths).map(([key, row]) => {
    const base = writes.has(key) ? floorWrite : floorRead
    return {
      ...row,
      floor: writes.has(key) ? 'INSERT' : 'SELECT',
      throughput_vs_floor: ratio(row.requests_per_second, base.requests_per_second),
    }
  })
  const summary = {
    date: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model ?? 'unknown',
      node: process.version,
    },
    settings: { seconds: DURATION, connections: CONNECTIONS },
    floor: { insert: floorWrite, select: floorRead },
    paths: table,
    targets: {
      report_new_vs_floor_write: {
        value: ratio(paths.report_new.requests_per_second, floorWrite.requests_per_second),
        target: '>= 0.5',
      },
      webhook_vs_floor_write: {
        value: ratio(paths.webhook.requests_per_second, floorWrite.requests_per_second),
        target: '>= 0.4',
      },
      admin_100k_vs_1k_first_page: {
        value: ratio(paths.admin_first_100k.p50_ms || 0.5, paths.admin_first_1k.p50_ms || 0.5),
        target: '<= 1.5 (p50 latency)',
      },
      admin_100k_vs_1k_deep_page: {
        value: ratio(paths.admin_deep_100k.p50_ms || 0.5, paths.admin_deep_1k.p50_ms || 0.5),
        target: '<= 1.5 (p50 latency)',
      },
    },
    invariant: {
      report_201s: created,
      submissions_stored: stored,
      webhook_200s: paths.webhook.succeeded,
      payments_stored: payments,
      holds: created === stored && paths.webhook.succeeded === payments,
    },
    errors: table.reduce((n, row) => n + row.errors + row.server_errors, 0),
    sizes: {
      worker_upload_kib: app.uploadKiB,
      worker_gzip_kib: app.gzipKiB,
      widget_bytes: widget.bytes,
      widget_gzip_bytes: widget.gzip,
    },
  }
  mkdirSync(results, { recursive: true })
  writeFileSync(`${results}latest.json`, `${JSON.stringify(summary, null, 2)}\n`)

  console.log('\n| path | req/s | p50 ms | p99 ms | errors | vs floor |')
  console.log('|---|---:|---:|---:|---:|---:|')
  for (const row of [floorWrite, floorRead]) {
    console.log(
      `| ${row.name} (runs: ${row.runs.join(', ')}) | ${row.requests_per_second} | ${row.p50_ms} | ${row.p99_ms} | ${row.errors} | 1.00 |`,
    )
  }
  for (const row of table) {
    console.log(
      `| ${row.name} | ${row.requests_per_second} | ${row.p50_ms} | ${row.p99_ms} | ${row.errors + row.server_errors} | ${row.throughput_vs_floor.toFixed(2)} × ${row.floor} |`,
    )
  }
  console.log(`\ntargets: ${JSON.stringify(summary.targets)}`)
  console.log(
    `invariant (every 201 is one stored submission, every webhook 200 one stored payment): ${summary.invariant.holds ? 'holds' : 'BROKEN'} ` +
      `(${created} reports, ${paths.webhook.succeeded} payments)`,
  )
  console.log(`sizes: Worker ${app.gzipKiB} KiB gzipped, widget ${widget.gzip} bytes gzipped`)
  if (!summary.invariant.holds || summary.errors > 0) process.exitCode = 1
}

await main()
