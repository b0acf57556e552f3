#!/usr/bin/env node
// `npm run bench`: what each request costs, against the runtime's own floor.
//
// The built Worker and a tiny reference Worker (bench/floor: one D1 INSERT or SELECT per
// request) run in workerd through Miniflare, each with its D1 in a temporary folder. This
// process drives them over 127.0.0.1 with autocannon, bounded in time, and reports each
// path's throughput and latency as a ratio to the floor measured in the same run, since
// absolute figures drift between machines, with what each request cost in D1 as the Worker's
// access log tells it, and how long each Worker takes to start. Writes
// bench/results/latest.json; see bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildWidget } from '../scripts/build-widget.mjs'
import { bundleWorker, startWorker } from '../scripts/local-worker.mjs'
import { count, deepCursor, seedReports } from './admin-list.mjs'
import { coldStarts } from './cold-start.mjs'
import { accessLog, CONNECTIONS, measure, meanOf, REPORTS, warmUp } from './measure.mjs'
import {
  lightJoinReport,
  lightNewReport,
  SITE,
  widgetJoinReport,
  widgetNewReport,
} from './readers.mjs'
import { WEBHOOK_SECRET, webhookRequest } from './stripe.mjs'
import { printSummary, summarise } from './summary.mjs'
import {
  giveHistory,
  HISTORY_MONTHS,
  invoicesPerSubscriber,
  renewals,
  strangersRenewals,
  subscribe,
  subscriptionUpdates,
} from './supporters.mjs'

/** Existing subscribers whose renewals and subscription updates are measured. */
const SUBSCRIBERS = 200
/** Renewals per measured history run; every subscriber in it renews once. */
const RENEWALS = Number(process.env.BENCH_RENEWALS ?? 1000)
const ADMIN_TOKEN = 'bench-admin-token'
const results = fileURLToPath(new URL('./results/', import.meta.url))

const SECRETS = {
  ALLOWED_ORIGINS: SITE,
  ADMIN_TOKEN,
  IP_HASH_SALT: 'bench',
  STRIPE_SECRET_KEY: 'sk_test_bench',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
}

/** The floor's cost in D1, from what it does: its one statement, run once through the binding. */
async function floorD1(db, statement) {
  const { meta } = await statement(db).run()
  return { round_trips: 1, rows_read: meta.rows_read, rows_written: meta.rows_written }
}

/** The floor's statements, as bench/floor/index.ts runs them. */
const floorInsert = (db) =>
  db
    .prepare('INSERT INTO items (id, body, created_at) VALUES (?, ?, ?)')
    .bind(crypto.randomUUID(), 'x', new Date().toISOString())
/** The row the floor's SELECT reads. */
const knownItem = (db) =>
  db.prepare("INSERT INTO items (id, body, created_at) VALUES ('known', 'x', '2026-01-01')")
const floorSelect = (db) =>
  db.prepare('SELECT id, body, created_at FROM items WHERE id = ?').bind('known')

/** The light paths: no rate limit, no Idempotency-Key, the least body; and the public list. */
async function lightPaths(app, paths, invariant) {
  const log = accessLog()
  const worker = await startWorker({
    bundle: app.outdir,
    bindings: { ...SECRETS, RATE_LIMIT_REPORTS_PER_MINUTE: '0' },
    onLine: log.onLine,
    consume: false,
  })
  const { url, db } = worker
  const target = { url, log }
  paths.health = await measure({
    ...target,
    key: 'health',
    name: 'GET /health',
    url: `${url}/health`,
  })

  const submissions = await count(db, 'submissions')
  paths.report_new = await measure({
    ...target,
    key: 'report_new',
    name: 'POST /v1/reports, new report (light: no limit, no key)',
    amount: REPORTS,
    requests: [lightNewReport()],
  })
  paths.report_join = await measure({
    ...target,
    key: 'report_join',
    name: 'POST /v1/reports, joining a report (light: no limit, no key)',
    amount: REPORTS,
    requests: [lightJoinReport()],
  })
  invariant.light_report_201s = paths.report_new.succeeded + paths.report_join.succeeded
  invariant.light_submissions_stored = (await count(db, 'submissions')) - submissions

  const payments = await count(db, 'support_payments')
  paths.webhook = await measure({
    ...target,
    key: 'webhook',
    name: 'POST /v1/webhooks/stripe, invoice.paid of a supporter not yet known',
    amount: REPORTS,
    requests: [webhookRequest(strangersRenewals())],
  })
  invariant.light_webhook_200s = paths.webhook.succeeded
  invariant.light_payments_stored = (await count(db, 'support_payments')) - payments

  const article = `${SITE}/bench/corrected`
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }
  for (let i = 0; i < 12; i++) {
    const report = await fetch(`${url}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: article, quote: `fixed quote ${i}` }),
    }).then((r) => r.json())
    await fetch(`${url}/v1/admin/reports/${report.id}/correction`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ kind: 'correction', text: `Correction ${i}.` }),
    })
  }
  paths.corrections = await measure({
    ...target,
    key: 'corrections',
    name: 'GET /v1/corrections?url=',
    url: `${url}/v1/corrections?url=${encodeURIComponent(article)}`,
  })
  await worker.close()
}

/** Readers and Stripe as they really come, on a Worker with production's rate limit. */
async function realPaths(app, paths, invariant, history) {
  const log = accessLog()
  const worker = await startWorker({
    bundle: app.outdir,
    bindings: { ...SECRETS, RATE_LIMIT_REPORTS_PER_MINUTE: '10' },
    onLine: log.onLine,
    consume: false,
  })
  const { url, db } = worker
  const target = { url, log }

  const submissions = await count(db, 'submissions')
  paths.report_real_new = await measure({
    ...target,
    key: 'report_real_new',
    name: 'POST /v1/reports, new report (widget: limit 10/min, Idempotency-Key)',
    amount: REPORTS,
    requests: [widgetNewReport()],
  })
  paths.report_real_join = await measure({
    ...target,
    key: 'report_real_join',
    name: 'POST /v1/reports, joining a report (widget: limit 10/min, Idempotency-Key)',
    amount: REPORTS,
    requests: [widgetJoinReport()],
  })
  invariant.real_report_201s = paths.report_real_new.succeeded + paths.report_real_join.succeeded
  invariant.real_submissions_stored = (await count(db, 'submissions')) - submissions
  invariant.real_idempotency_keys_stored = await count(db, 'idempotency_keys')

  console.log('  seeding supporters through signed events')
  // Every subscriber renews at most once in its run, warm-up included.
  const pool = RENEWALS + warmUp(RENEWALS) + CONNECTIONS
  const [subscribers] = await subscribe(url, [
    { label: 'patron', count: SUBSCRIBERS, monthsAgo: 1 },
  ])
  const [fresh, longtime] = await subscribe(url, [
    { label: 'new', count: pool, monthsAgo: 1 },
    { label: 'longtime', count: pool, monthsAgo: HISTORY_MONTHS },
  ])
  await giveHistory(url, db, longtime)
  const supporters = await count(db, 'supporters')
  console.log(`  ${supporters} supporters, ${await count(db, 'support_payments')} payments`)

  const payments = await count(db, 'support_payments')
  paths.invoice_paid = await measure({
    ...target,
    key: 'invoice_paid',
    name: `POST /v1/webhooks/stripe, invoice.paid renewal of one of ${SUBSCRIBERS} subscribers`,
    amount: REPORTS,
    requests: [webhookRequest(renewals(subscribers))],
  })
  invariant.invoice_paid_200s = paths.invoice_paid.succeeded
  invariant.invoice_paid_payments_stored = (await count(db, 'support_payments')) - payments

  const updates = () =>
    db
      .prepare(
        "SELECT count(*) AS n FROM support_events WHERE type = 'customer.subscription.updated'",
      )
      .first('n')
  const updatesBefore = await updates()
  paths.subscription_updated = await measure({
    ...target,
    key: 'subscription_updated',
    name: `POST /v1/webhooks/stripe, customer.subscription.updated of one of ${SUBSCRIBERS}`,
    amount: REPORTS,
    requests: [webhookRequest(subscriptionUpdates(subscribers))],
  })
  invariant.subscription_updated_200s = paths.subscription_updated.succeeded
  invariant.subscription_updates_recorded = (await updates()) - updatesBefore

  const historyPayments = await count(db, 'support_payments')
  paths.renewal_no_history = await measure({
    ...target,
    key: 'renewal_no_history',
    name: 'POST /v1/webhooks/stripe, invoice.paid renewal, no past invoices',
    amount: RENEWALS,
    requests: [webhookRequest(renewals(fresh))],
  })
  paths.renewal_history = await measure({
    ...target,
    key: 'renewal_history',
    name: `POST /v1/webhooks/stripe, invoice.paid renewal, ${HISTORY_MONTHS} past invoices`,
    amount: RENEWALS,
    requests: [webhookRequest(renewals(longtime))],
  })
  invariant.renewal_200s = paths.renewal_no_history.succeeded + paths.renewal_history.succeeded
  invariant.renewal_payments_stored = (await count(db, 'support_payments')) - historyPayments
  invariant.supporters_made_by_renewals = (await count(db, 'supporters')) - supporters
  history.no_history = { supporters: fresh.length, ...(await invoicesPerSubscriber(db, fresh)) }
  history.history = { supporters: longtime.length, ...(await invoicesPerSubscriber(db, longtime)) }
  await worker.close()
}

/** The editors' list, on a database of its own holding exactly 1 000, then 100 000 reports. */
async function adminPaths(app, paths) {
  const log = accessLog()
  const listing = await startWorker({
    bundle: app.outdir,
    bindings: SECRETS,
    onLine: log.onLine,
    consume: false,
  })
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` }
  const listPages = async (key, size) => {
    paths[`admin_first_${key}`] = await measure({
      key: `admin_first_${key}`,
      name: `GET /v1/admin/reports, first page, ${size} reports`,
      url: `${listing.url}/v1/admin/reports`,
      headers,
      log,
    })
    paths[`admin_deep_${key}`] = await measure({
      key: `admin_deep_${key}`,
      name: `GET /v1/admin/reports, deep page, ${size} reports`,
      url: `${listing.url}/v1/admin/reports?cursor=${await deepCursor(listing.db, 0.9)}`,
      headers,
      log,
    })
  }
  await seedReports(listing.db, 0, 1_000)
  await listPages('1k', '1 000')
  await seedReports(listing.db, 1_000, 100_000)
  console.log(`  seeded to ${await count(listing.db, 'reports')} reports`)
  await listPages('100k', '100 000')
  await listing.close()
}

async function main() {
  const started = performance.now()
  console.log('building the Worker, the floor and the widget')
  const app = bundleWorker()
  const floorBundle = bundleWorker('bench/floor/wrangler.toml')
  const widget = await buildWidget({ quiet: true })

  console.log('cold starts: a fresh Worker on an already migrated D1, to its first answer')
  const cold = await coldStarts({
    floor: {
      bundle: floorBundle.outdir,
      migrations: 'bench/floor/migrations',
      path: '/select?id=known',
      prepare: (db) => knownItem(db).run(),
    },
    readerdesk: { bundle: app.outdir, bindings: SECRETS, path: '/health' },
  })

  console.log('floor: one D1 INSERT, one D1 SELECT')
  const floor = await startWorker({
    bundle: floorBundle.outdir,
    migrations: 'bench/floor/migrations',
  })
  await knownItem(floor.db).run()
  const floorCost = {
    insert: await floorD1(floor.db, floorInsert),
    select: await floorD1(floor.db, floorSelect),
  }
  const floorRuns = async () => [
    await measure({
      key: 'floor_insert',
      name: 'floor INSERT',
      url: `${floor.url}/insert`,
      method: 'POST',
      body: 'x',
    }),
    await measure({
      key: 'floor_select',
      name: 'floor SELECT',
      url: `${floor.url}/select?id=known`,
    }),
  ]
  const [writeBefore, readBefore] = await floorRuns()

  const paths = {}
  const invariant = {}
  const history = {}
  console.log('readerdesk, light paths')
  await lightPaths(app, paths, invariant)
  console.log('readerdesk, as readers and Stripe really come (rate limit 10 per minute)')
  await realPaths(app, paths, invariant, history)
  console.log('readerdesk, the editors’ list')
  await adminPaths(app, paths)

  console.log('floor again, so that drift during the run averages out')
  const [writeAfter, readAfter] = await floorRuns()
  await floor.close()

  const summary = summarise({
    floor: {
      insert: meanOf('floor: one D1 INSERT', [writeBefore, writeAfter], floorCost.insert),
      select: meanOf('floor: one D1 SELECT', [readBefore, readAfter], floorCost.select),
    },
    paths,
    invariant,
    history,
    cold,
    sizes: {
      worker_upload_kib: app.uploadKiB,
      worker_gzip_kib: app.gzipKiB,
      widget_bytes: widget.bytes,
      widget_gzip_bytes: widget.gzip,
    },
    seconds: Math.round((performance.now() - started) / 1000),
  })
  mkdirSync(results, { recursive: true })
  writeFileSync(`${results}latest.json`, `${JSON.stringify(summary, null, 2)}\n`)
  printSummary(summary)
  if (!summary.invariant.holds || summary.errors > 0) process.exitCode = 1
}

await main()
