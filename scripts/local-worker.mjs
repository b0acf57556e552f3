// Runs the built Worker in workerd through Miniflare, as `wrangler dev` would, with its D1 in a
// folder of our choosing and the real migrations applied. Used by the browser tests and the
// benchmark, which drive it over 127.0.0.1 from another process (the browser, autocannon).
import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { stripVTControlCharacters } from 'node:util'
import { Log, LogLevel, Miniflare } from 'miniflare'

const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js')

/**
 * Bundles a Worker exactly as `wrangler deploy` would (the [build] step included): the folder
 * holding index.js, and the upload size wrangler reports (KiB, raw and gzipped).
 * @param {string} [config] wrangler configuration file, relative to the project
 */
export function bundleWorker(config = 'wrangler.toml') {
  const outdir = mkdtempSync(join(tmpdir(), 'readerdesk-bundle-'))
  const output = execFileSync(
    process.execPath,
    [wrangler, 'deploy', '--dry-run', '--config', config, '--outdir', outdir],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      stdio: 'pipe',
      encoding: 'utf8',
    },
  )
  const size = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(output)
  if (!size) throw new Error(`wrangler printed no upload size:\n${output}`)
  return { outdir, uploadKiB: Number(size[1]), gzipKiB: Number(size[2]) }
}

const MODULE_TYPES = { '.js': 'ESModule', '.mjs': 'ESModule', '.wasm': 'CompiledWasm' }

/**
 * The bundle's modules, the entry first. Listed rather than found, because finding them means
 * parsing the whole bundle in Node on every start (hundreds of milliseconds for a large Worker),
 * a cost workerd itself never pays.
 * @param {string} bundle
 */
function bundleModules(bundle) {
  const others = readdirSync(bundle).filter((file) => file !== 'index.js')
  return ['index.js', ...others]
    .map((file) => ({ type: MODULE_TYPES[extname(file)], path: join(bundle, file) }))
    .filter((module) => module.type)
}

/**
 * Miniflare's own log, a line at a time, without colours. Its local bindings report there, not
 * on the runtime's stdout: the local send_email binding logs each email it "sent" (`[mf:info]
 * send_email binding called with MessageBuilder:`, then `From:`, `To:`, `Subject:`, an empty
 * line, `Text: <file>` and `HTML: <file>`, files it removes on dispose), and it logs each request
 * (`[mf:info] GET /path 200 OK (3ms)`) and queue batch. Without a log of ours it drops all that.
 */
class LineLog extends Log {
  /** @type {(line: string) => void} */
  #onLine

  /** @param {(line: string) => void} onLine */
  constructor(onLine) {
    super(LogLevel.INFO)
    this.#onLine = onLine
  }

  /** @param {string} message */
  log(message) {
    for (const line of stripVTControlCharacters(message).split('\n')) this.#onLine(line)
  }
}

/**
 * Miniflare's options for a bundled Worker (the folder `bundleWorker` returned) on 127.0.0.1,
 * its D1 persisted in `persist`. What the Worker writes to stdout goes to `onLine`, one line at
 * a time, when given, and so does what Miniflare itself logs (its local bindings' reports, such
 * as each email the local send_email binding "sent"); `quiet` drops the Worker's stdout;
 * otherwise it is printed.
 * With `miniflareLog`, Miniflare's own log goes to `onLine` too (see LineLog). Without
 * `consume`, the NOTIFY queue is only produced to: the benchmark measures the paths readers and
 * Stripe take, whose notifications production consumes in invocations of their own.
 * @param {{ bundle: string, bindings?: Record<string, string>, persist: string, quiet?: boolean, onLine?: (line: string) => void, miniflareLog?: boolean, consume?: boolean }} options
 */
export function workerOptions({
  bundle,
  bindings = {},
  persist,
  quiet = false,
  onLine,
  miniflareLog = false,
  consume = true,
}) {
  /** @type {((stdout: import('node:stream').Readable, stderr: import('node:stream').Readable) => void) | undefined} */
  let handleRuntimeStdio
  if (onLine) {
    handleRuntimeStdio = (stdout, stderr) => {
      createInterface({ input: stdout, crlfDelay: Infinity }).on('line', onLine)
      if (quiet) stderr.resume()
      else stderr.pipe(process.stderr)
    }
  } else if (quiet) {
    handleRuntimeStdio = (stdout, stderr) => (stdout.resume(), stderr.resume())
  }
  return {
    modules: bundleModules(bundle),
    modulesRoot: bundle,
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'readerdesk' },
    d1Persist: persist,
    // As wrangler.toml declares them: the NOTIFY queue, consumed by this Worker, and EMAIL.
    queueProducers: { NOTIFY: 'readerdesk-notify' },
    queueConsumers: consume
      ? {
          'readerdesk-notify': {
            maxBatchSize: 10,
            maxBatchTimeout: 2,
            maxRetries: 5,
            deadLetterQueue: 'readerdesk-notify-failed',
          },
        }
      : {},
    email: { send_email: [{ name: 'EMAIL' }] },
    bindings,
    host: '127.0.0.1',
    port: 0,
    ...(handleRuntimeStdio ? { handleRuntimeStdio } : {}),
    ...(onLine && miniflareLog ? { log: new LineLog(onLine) } : {}),
  }
}

/**
 * Starts a bundled Worker (the folder `bundleWorker` returned) on 127.0.0.1 with a fresh D1,
 * migrated unless told otherwise; `quiet` drops what the Worker logs, `onLine` receives each
 * line it writes to stdout, and with `miniflareLog` each line Miniflare logs; `consume: false`
 * leaves the NOTIFY queue without its consumer (see `workerOptions`).
 * @param {{ bundle: string, bindings?: Record<string, string>, migrations?: string | null, persist?: string, quiet?: boolean, onLine?: (line: string) => void, miniflareLog?: boolean, consume?: boolean }} options
 */
export async function startWorker({
  bundle,
  bindings = {},
  migrations = 'migrations',
  persist,
  quiet = false,
  onLine,
  miniflareLog = false,
  consume = true,
}) {
  const d1Persist = persist ?? mkdtempSync(join(tmpdir(), 'readerdesk-d1-'))
  const options = { bundle, bindings, persist: d1Persist, quiet, onLine, miniflareLog, consume }
  const mf = new Miniflare(workerOptions(options))
  const url = (await mf.ready).origin
  const db = await mf.getD1Database('DB')
  if (migrations) {
    for (const migration of await readD1Migrations(join(root, migrations))) {
      await db.batch(migration.queries.map((query) => db.prepare(query)))
    }
  }
  return { url, db, mf, persist: d1Persist, close: () => mf.dispose() }
}
