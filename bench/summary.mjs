// The run as bench/results/latest.json holds it, and as the benchmark prints it: each path
// beside the floor, the targets with their values, the invariants behind the exit code.
import { availableParallelism, cpus } from 'node:os'
import { COLD_STARTS } from './cold-start.mjs'
import { CONNECTIONS, D1_PRICES, DURATION, ratio, REPORTS } from './measure.mjs'
import { HISTORY_MONTHS } from './supporters.mjs'

/** Paths that write, stated against the floor's INSERT; the others against its SELECT. */
const WRITES = new Set([
  'report_new',
  'report_join',
  'webhook',
  'report_real_new',
  'report_real_join',
  'invoice_paid',
  'subscription_updated',
  'renewal_no_history',
  'renewal_history',
])

const goal = (value, target, met) => ({ value, target, met: value === null ? null : met })
const atLeast = (value, min) => goal(value, `>= ${min}`, value >= min)
const atMost = (value, max, unit = '') => goal(value, `<= ${max}${unit}`, value <= max)

/** `a / b`, or null when either is unknown (the Worker logged no D1 figures). */
const ratioOf = (a, b) => (a === undefined || b === undefined || !b ? null : ratio(a, b))

function targetsOf({ floor, paths, cold, sizes, errors }) {
  const write = (key) => ratio(paths[key].requests_per_second, floor.insert.requests_per_second)
  const read = (key) => ratio(paths[key].requests_per_second, floor.select.requests_per_second)
  const p50 = (key) => paths[key].p50_ms || 0.5
  const trips = (key) => paths[key].d1?.round_trips ?? null
  const [none, long] = [paths.renewal_no_history, paths.renewal_history]
  return {
    report_real_new_vs_floor_insert: atLeast(write('report_real_new'), 0.8),
    report_real_join_vs_floor_insert: atLeast(write('report_real_join'), 0.8),
    report_real_new_d1_round_trips: goal(
      trips('report_real_new'),
      '== 1',
      trips('report_real_new') === 1,
    ),
    report_real_join_d1_round_trips: goal(
      trips('report_real_join'),
      '== 1',
      trips('report_real_join') === 1,
    ),
    invoice_paid_vs_floor_insert: atLeast(write('invoice_paid'), 0.6),
    subscription_updated_vs_floor_insert: atLeast(write('subscription_updated'), 0.6),
    renewal_history_vs_none_throughput: atMost(
      ratio(none.requests_per_second, long.requests_per_second),
      1.2,
      ' (times slower with 120 past invoices)',
    ),
    renewal_history_vs_none_rows_read: atMost(
      ratioOf(long.d1?.rows_read, none.d1?.rows_read),
      1.2,
      ' (times the rows read with 120 past invoices)',
    ),
    worker_gzip_kib: atMost(sizes.worker_gzip_kib, 200, ' KiB'),
    cold_start_vs_floor: atMost(
      ratio(cold.readerdesk.to_first_answer_ms, cold.floor.to_first_answer_ms),
      3,
      ' (median time to first answer)',
    ),
    cold_start_first_request_vs_floor: atMost(
      ratio(cold.readerdesk.first_request_ms, cold.floor.first_request_ms),
      3,
      ' (median first request after ready)',
    ),
    report_new_vs_floor_write: atLeast(write('report_new'), 0.5),
    webhook_vs_floor_write: atLeast(write('webhook'), 0.4),
    corrections_vs_floor_select: atLeast(read('corrections'), 0.8),
    admin_100k_vs_1k_first_page: atMost(
      ratio(p50('admin_first_100k'), p50('admin_first_1k')),
      1.5,
      ' (p50 latency)',
    ),
    admin_100k_vs_1k_deep_page: atMost(
      ratio(p50('admin_deep_100k'), p50('admin_deep_1k')),
      1.5,
      ' (p50 latency)',
    ),
    errors: goal(errors, '== 0', errors === 0),
  }
}

/** Every 2xx is exactly what it claims to have stored; existing subscribers stay who they are. */
function invariantOf(counts) {
  const same = (...values) => values.every((value) => value === values[0])
  const holds =
    same(counts.light_report_201s, counts.light_submissions_stored) &&
    same(counts.light_webhook_200s, counts.light_payments_stored) &&
    same(
      counts.real_report_201s,
      counts.real_submissions_stored,
      counts.real_idempotency_keys_stored,
    ) &&
    same(counts.invoice_paid_200s, counts.invoice_paid_payments_stored) &&
    same(counts.subscription_updated_200s, counts.subscription_updates_recorded) &&
    same(counts.renewal_200s, counts.renewal_payments_stored) &&
    counts.supporters_made_by_renewals === 0
  return { ...counts, holds }
}

/** What each past invoice adds to a renewal's rows read, or null without D1 figures. */
function perPastInvoice(none, long) {
  if (!none.d1 || !long.d1) return null
  return Math.round(((long.d1.rows_read - none.d1.rows_read) / HISTORY_MONTHS) * 100) / 100
}

export function summarise({ floor, paths, invariant, history, cold, sizes, seconds }) {
  const table = Object.entries(paths).map(([key, row]) => {
    const base = WRITES.has(key) ? floor.insert : floor.select
    return {
      ...row,
      floor: WRITES.has(key) ? 'INSERT' : 'SELECT',
      throughput_vs_floor: ratio(row.requests_per_second, base.requests_per_second),
    }
  })
  const errors = [floor.insert, floor.select, ...table].reduce(
    (n, row) => n + row.errors + row.unexpected,
    0,
  )
  return {
    date: new Date().toISOString(),
    machine: {
      cpus: availableParallelism(),
      model: cpus()[0]?.model ?? 'unknown',
      node: process.version,
    },
    settings: {
      seconds: DURATION,
      connections: CONNECTIONS,
      requests_per_write_run: REPORTS,
      cold_starts: COLD_STARTS,
    },
    run_seconds: seconds,
    d1_prices_usd_per_million_rows: D1_PRICES,
    floor,
    paths: table,
    history: {
      ...history,
      rows_read_per_past_invoice: perPastInvoice(paths.renewal_no_history, paths.renewal_history),
    },
    cold_start: {
      ...cold,
      ratio_to_first_answer: ratio(
        cold.readerdesk.to_first_answer_ms,
        cold.floor.to_first_answer_ms,
      ),
      ratio_first_request: ratio(cold.readerdesk.first_request_ms, cold.floor.first_request_ms),
    },
    targets: targetsOf({ floor, paths, cold, sizes, errors }),
    invariant: invariantOf(invariant),
    errors,
    sizes,
  }
}

const dash = (value, digits) =>
  value === null || value === undefined ? '–' : digits ? value.toFixed(digits) : String(value)

export function printSummary(summary) {
  const { floor, paths, cold_start: cold, targets, invariant, history, sizes } = summary
  console.log(
    '\n| path | req/s | p50 ms | p99 ms | errors | vs floor | D1 round trips | rows read | rows written | D1 $ per million requests |',
  )
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  const d1 = (row) =>
    `${dash(row.d1?.round_trips)} | ${dash(row.d1?.rows_read)} | ${dash(row.d1?.rows_written)} | ${dash(row.d1?.cost_per_million_usd, 4)}`
  for (const row of [floor.insert, floor.select]) {
    console.log(
      `| ${row.name} (runs: ${row.runs.join(', ')}) | ${row.requests_per_second} | ${row.p50_ms} | ${row.p99_ms} | ${row.errors + row.unexpected} | 1.00 | ${d1(row)} |`,
    )
  }
  for (const row of paths) {
    console.log(
      `| ${row.name} | ${row.requests_per_second} | ${row.p50_ms} | ${row.p99_ms} | ${row.errors + row.unexpected} | ${row.throughput_vs_floor.toFixed(2)} × ${row.floor} | ${d1(row)} |`,
    )
  }
  console.log(
    `\n| cold start, median of ${summary.settings.cold_starts} | to first answer ms | first request ms |`,
  )
  console.log('|---|---:|---:|')
  for (const [name, run] of [
    ['floor (GET /select)', cold.floor],
    ['readerdesk (GET /health)', cold.readerdesk],
  ]) {
    console.log(`| ${name} | ${run.to_first_answer_ms} | ${run.first_request_ms} |`)
  }
  console.log(
    `| readerdesk ÷ floor | ${cold.ratio_to_first_answer.toFixed(2)} | ${cold.ratio_first_request.toFixed(2)} |`,
  )
  console.log('\n| target | value | goal | met |')
  console.log('|---|---:|---|---|')
  for (const [name, target] of Object.entries(targets)) {
    const met = target.met === null ? 'unknown' : target.met ? 'yes' : 'NO'
    console.log(`| ${name} | ${dash(target.value)} | ${target.target} | ${met} |`)
  }
  console.log(
    `\nhistory: past invoices per subscriber after the runs: none ${history.no_history.least}–${history.no_history.most}, ` +
      `long-time ${history.history.least}–${history.history.most}; ` +
      `rows read per past invoice: ${dash(history.rows_read_per_past_invoice)}`,
  )
  const { holds, ...counts } = invariant
  console.log(
    `invariant (every 2xx stored exactly once, renewals make no new supporter): ${holds ? 'holds' : 'BROKEN'} ${JSON.stringify(counts)}`,
  )
  console.log(
    `sizes: Worker ${sizes.worker_gzip_kib} KiB gzipped, widget ${sizes.widget_gzip_bytes} bytes gzipped; run took ${summary.run_seconds} s`,
  )
}
