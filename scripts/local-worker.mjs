// Runs the built Worker in workerd through Miniflare, as `wrangler dev` would, with its D1 in a
// folder of our choosing and the real migrations applied. Used by the browser tests and the
// benchmark, which drive it over 127.0.0.1 from another process (the browser, autocannon).
import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'

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

/**
 * Starts a bundled Worker (the folder `bundleWorker` returned) on 127.0.0.1 with a fresh D1,
 * migrated unless told otherwise; `quiet` drops what the Worker logs.
 * @param {{ bundle: string, bindings?: Record<string, string>, migrations?: string | null, persist?: string, quiet?: boolean }} options
 */
export async function startWorker({
  bundle,
  bindings = {},
  migrations = 'migrations',
  persist,
  quiet = false,
}) {
  const d1Persist = persist ?? mkdtempSync(join(tmpdir(), 'readerdesk-d1-'))
  const mf = new Miniflare({
    scriptPath: join(bundle, 'index.js'),
    modules: true,
    modulesRoot: bundle,
    compatibilityDate: '2026-04-20',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: { DB: 'readerdesk' },
    d1Persist,
    bindings,
    host: '127.0.0.1',
    port: 0,
    ...(quiet
      ? { handleRuntimeStdio: (stdout, stderr) => (stdout.resume(), stderr.resume()) }
      : {}),
  })
  const url = (await mf.ready).origin
  const db = await mf.getD1Database('DB')
  if (migrations) {
    for (const migration of await readD1Migrations(join(root, migrations))) {
      await db.batch(migration.queries.map((query) => db.prepare(query)))
    }
  }
  return { url, db, mf, persist: d1Persist, close: () => mf.dispose() }
}
