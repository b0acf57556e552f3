// How the benchmark measures one path: autocannon over 127.0.0.1 after a warm-up, and what the
// Worker's access log says each measured request cost in D1.
import autocannon from 'autocannon'
import { setTimeout as sleep } from 'node:timers/promises'

export const DURATION = Number(process.env.BENCH_SECONDS ?? 5)
/** Requests per measured write run: bounded in count, so the invariants can be exact. */
export const REPORTS = Number(process.env.BENCH_REPORTS ?? 3000)
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8)

/**
 * D1's published prices beyond the Workers Paid plan's included amounts, in US dollars per
 * million rows (https://developers.cloudflare.com/d1/platform/pricing/).
 */
export const D1_PRICES = { rows_read: 0.001, rows_written: 1.0 }

/** What a million requests cost in D1 rows, at `D1_PRICES`. */
export const costPerMillion = (d1) =>
  Math.round(
    (d1.rows_read * D1_PRICES.rows_read + d1.rows_written * D1_PRICES.rows_written) * 1e4,
  ) / 1e4

/** Requests in the warm-up before a run of `amount` (autocannon needs one per connection). */
export const warmUp = (amount) => Math.max(CONNECTIONS, Math.ceil(amount / 10))

const round = (value) => Math.round(value * 100) / 100

/**
 * The Worker's access log, read from its stdout: one JSON line per request, whose `d1` field
 * (`round_trips`, `rows_read`, `rows_written`) says what that request cost. The benchmark names
 * each run's requests through X-Request-Id, which the Worker logs as `request_id`, so every line
 * is counted for the run that caused it.
 */
export function accessLog() {
  const runs = new Map()
  const onLine = (line) => {
    if (!line.startsWith('{')) return
    let entry
    try {
      entry = JSON.parse(line)
    } catch {
      return
    }
    if (entry.message !== 'request' || typeof entry.request_id !== 'string') return
    const run = runs.get(entry.request_id) ?? { lines: 0, with_d1: 0, sum: null }
    run.lines += 1
    if (entry.d1 && typeof entry.d1 === 'object') {
      run.with_d1 += 1
      run.sum ??= { round_trips: 0, rows_read: 0, rows_written: 0 }
      for (const key of Object.keys(run.sum)) run.sum[key] += Number(entry.d1[key] ?? 0)
    }
    runs.set(entry.request_id, run)
  }
  /**
   * The mean D1 cost of a run's requests once all `expected` lines are in (stdout lags the
   * answers a little), or `null` when the Worker logs no `d1`.
   */
  const usage = async (tag, expected) => {
    for (let waited = 0; (runs.get(tag)?.lines ?? 0) < expected && waited < 3000; waited += 50) {
      await sleep(50)
    }
    const run = runs.get(tag)
    if (!run?.sum || !run.with_d1) return { logged: run?.lines ?? 0, d1: null }
    const d1 = Object.fromEntries(
      Object.entries(run.sum).map(([key, sum]) => [key, round(sum / run.with_d1)]),
    )
    return { logged: run.lines, d1: { ...d1, cost_per_million_usd: costPerMillion(d1) } }
  }
  return { onLine, usage }
}

/**
 * Runs autocannon against one path after a short warm-up, for DURATION seconds or, with
 * `amount`, for exactly that many requests (so every request has been answered when it ends).
 * Counts statuses itself; `succeeded` counts the 2xx answers of the warm-up too. With `log`
 * (the Worker's `accessLog()`), the measured requests carry X-Request-Id `key` and the row
 * gets their mean D1 cost.
 */
export async function measure({ key, name, url, log, amount, headers = {}, ...options }) {
  const statuses = {}
  let succeeded = 0
  // autocannon ends runs on its one-second tick; the time to the last answer is the real one.
  const run = (bounds, measured) =>
    new Promise((resolve, reject) => {
      const started = performance.now()
      let last = started
      const instance = autocannon(
        {
          url,
          connections: CONNECTIONS,
          headers: { ...headers, 'x-request-id': measured ? key : `${key}-warmup` },
          ...bounds,
          ...options,
        },
        (error, result) =>
          error ? reject(error) : resolve({ ...result, seconds: (last - started) / 1000 }),
      )
      instance.on('response', (_client, status) => {
        last = performance.now()
        if (status >= 200 && status < 300) succeeded += 1
        if (measured) statuses[status] = (statuses[status] ?? 0) + 1
      })
    })
  await run(amount ? { amount: warmUp(amount) } : { duration: 1 }, false)
  const result = await run(amount ? { amount } : { duration: DURATION }, true)
  const count = (test) =>
    Object.entries(statuses).reduce((n, [status, c]) => n + (test(Number(status)) ? c : 0), 0)
  const answered = count(() => true)
  const row = {
    key,
    name,
    requests_per_second: Math.round(result.requests.total / result.seconds),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    server_errors: count((status) => status >= 500),
    unexpected: count((status) => status < 200 || status >= 300),
    statuses,
    succeeded,
    ...(log ? await log.usage(key, answered) : {}),
  }
  const d1 = row.d1
    ? `, D1 ${row.d1.round_trips} trips, ${row.d1.rows_read} read, ${row.d1.rows_written} written`
    : ''
  console.log(
    `  ${name}: ${row.requests_per_second} req/s, p50 ${row.p50_ms} ms, p99 ${row.p99_ms} ms, statuses ${JSON.stringify(statuses)}${d1}`,
  )
  return row
}

/** The floor as the mean of its runs before and after the paths. */
export function meanOf(name, runs, d1) {
  const mean = (key) => Math.round(runs.reduce((sum, run) => sum + run[key], 0) / runs.length)
  return {
    name,
    requests_per_second: mean('requests_per_second'),
    p50_ms: mean('p50_ms'),
    p99_ms: mean('p99_ms'),
    errors: runs.reduce((n, run) => n + run.errors, 0),
    server_errors: runs.reduce((n, run) => n + run.server_errors, 0),
    unexpected: runs.reduce((n, run) => n + run.unexpected, 0),
    runs: runs.map((run) => run.requests_per_second),
    d1: { ...d1, cost_per_million_usd: costPerMillion(d1) },
  }
}

export const ratio = (value, floor) => Math.round((value / floor) * 100) / 100
