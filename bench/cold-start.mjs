// Cold start: how long a freshly started Worker takes to give its first answer, on a D1 that is
// already migrated, so that only the runtime, the Worker's own start and its first request count.
import { Miniflare } from 'miniflare'
import { startWorker, workerOptions } from '../scripts/local-worker.mjs'

export const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 5)

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const ms = (value) => Math.round(value * 10) / 10

/** One start: from `new Miniflare(...)` to the first answer, and from ready to that answer. */
async function timeStart({ bundle, bindings, path }, persist) {
  const started = performance.now()
  const mf = new Miniflare(workerOptions({ bundle, bindings, persist, quiet: true }))
  const url = (await mf.ready).origin
  const ready = performance.now()
  const response = await fetch(`${url}${path}`)
  await response.arrayBuffer()
  const answered = performance.now()
  await mf.dispose()
  if (!response.ok) throw new Error(`cold start: ${path} answered ${response.status}`)
  return { toAnswer: answered - started, firstRequest: answered - ready }
}

/**
 * Starts each Worker COLD_STARTS times, each on its own persisted D1 (migrated and prepared
 * once by its `prepare`, before any timing), the Workers taking turns so that whatever else
 * the machine does weighs on them alike. For each Worker, the medians: from `new Miniflare(...)`
 * to the first answer to its `path`, and that first request alone, from the moment Miniflare
 * is ready.
 * @param {Record<string, { bundle: string, migrations?: string, bindings?: Record<string, string>, path: string, prepare?: (db: D1Database) => Promise<unknown> }>} workers
 */
export async function coldStarts(workers) {
  const runs = {}
  for (const [name, worker] of Object.entries(workers)) {
    const { bundle, migrations, bindings } = worker
    const setup = await startWorker({ bundle, migrations, bindings, quiet: true })
    await worker.prepare?.(setup.db)
    await setup.close()
    runs[name] = { worker, persist: setup.persist, toAnswer: [], firstRequest: [] }
  }
  for (let i = 0; i < COLD_STARTS; i++) {
    for (const run of Object.values(runs)) {
      const { toAnswer, firstRequest } = await timeStart(run.worker, run.persist)
      run.toAnswer.push(toAnswer)
      run.firstRequest.push(firstRequest)
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, run]) => [
      name,
      {
        path: run.worker.path,
        starts: COLD_STARTS,
        to_first_answer_ms: ms(median(run.toAnswer)),
        first_request_ms: ms(median(run.firstRequest)),
        runs_to_first_answer_ms: run.toAnswer.map(ms),
        runs_first_request_ms: run.firstRequest.map(ms),
      },
    ]),
  )
}
