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

/**
 * Starts the Worker COLD_STARTS times on one persisted D1 (migrated and prepared once by
 * `prepare`, before any timing) and times each start: from `new Miniflare(...)` to the first
 * answer to `path`, and that first request alone, from the moment Miniflare is ready.
 */
export async function coldStart({ bundle, migrations, bindings, path, prepare }) {
  const setup = await startWorker({ bundle, migrations, bindings, quiet: true })
  await prepare?.(setup.db)
  await setup.close()
  const toAnswer = []
  const firstRequest = []
  for (let i = 0; i < COLD_STARTS; i++) {
    const started = performance.now()
    const mf = new Miniflare(
      workerOptions({ bundle, bindings, persist: setup.persist, quiet: true }),
    )
    const url = (await mf.ready).origin
    const ready = performance.now()
    const response = await fetch(`${url}${path}`)
    await response.arrayBuffer()
    const answered = performance.now()
    await mf.dispose()
    if (!response.ok) throw new Error(`cold start: ${path} answered ${response.status}`)
    toAnswer.push(answered - started)
    firstRequest.push(answered - ready)
  }
  return {
    path,
    starts: COLD_STARTS,
    to_first_answer_ms: ms(median(toAnswer)),
    first_request_ms: ms(median(firstRequest)),
    runs_to_first_answer_ms: toAnswer.map(ms),
    runs_first_request_ms: firstRequest.map(ms),
  }
}
