#!/usr/bin/env node
// `npm run bench:profile`: where a widget report's CPU goes. Runs the unminified Worker (so
// that functions keep their names) and the floor Worker in workerd, sends each a bounded burst,
// and samples the Worker's isolate and its D1 isolate at once with V8's profiler through
// Miniflare's inspector. Prints CPU per request in each isolate, for readerdesk and the floor,
// and where readerdesk's Worker isolate spends it, by module of the bundle.
import autocannon from 'autocannon'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Miniflare } from 'miniflare'
import WebSocket from 'ws'
import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { workerOptions } from '../scripts/local-worker.mjs'
import { SITE, widgetNewReport } from './readers.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 2000)
const INSPECTOR_PORT = 9339

/** The Worker bundled as `wrangler deploy` would, but unminified. */
function unminified(config) {
  const outdir = mkdtempSync(join(tmpdir(), 'readerdesk-profile-'))
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/wrangler/bin/wrangler.js'),
      ...['deploy', '--dry-run', '--minify=false', '--config', config, '--outdir', outdir],
    ],
    { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: 'pipe' },
  )
  return outdir
}

/** A DevTools protocol session with one isolate of the running workerd. */
async function inspect(title) {
  const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json()
  const target = targets.find((t) => t.title.endsWith(title))
  if (!target) throw new Error(`no inspector target ${title}`)
  const socket = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve) => socket.on('open', resolve))
  let id = 0
  const pending = new Map()
  socket.on('message', (message) => {
    const reply = JSON.parse(message)
    pending.get(reply.id)?.(reply.result)
    pending.delete(reply.id)
  })
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      pending.set(++id, resolve)
      socket.send(JSON.stringify({ id, method, params }))
    })
  await send('Profiler.enable')
  await send('Profiler.setSamplingInterval', { interval: 200 })
  return { start: () => send('Profiler.start'), stop: () => send('Profiler.stop'), socket }
}

/** CPU time of a profile outside `(idle)`, in microseconds. */
function busy(profile) {
  const idle = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id),
  )
  return profile.samples.reduce(
    (sum, node, i) => sum + (idle.has(node) ? 0 : (profile.timeDeltas[i] ?? 0)),
    0,
  )
}

/** The profile's self time, summed by what `nameOf` calls each sampled frame: the top 15. */
function selfTimeBy(profile, nameOf) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
  const totals = new Map()
  let all = 0
  profile.samples.forEach((node, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    const name = nameOf(nodes.get(node))
    all += delta
    totals.set(name, (totals.get(name) ?? 0) + delta)
  })
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([name, time]) => `  ${((100 * time) / all).toFixed(1).padStart(5)} %  ${name}`)
}

/** Self time by module of the bundle (esbuild marks each with a `// path` line). */
function byModule(profile, source) {
  const marks = []
  source.split('\n').forEach((line, index) => {
    const mark = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line)
    if (mark) marks.push([index, mark[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*/, '$1')])
  })
  const moduleAt = (line) => marks.findLast(([start]) => start <= line)?.[1] ?? '(bundle prelude)'
  return selfTimeBy(profile, (frame) =>
    frame.url.endsWith('index.js')
      ? moduleAt(frame.lineNumber)
      : frame.url || frame.functionName || '(runtime)',
  )
}

/** Self time by function, for an isolate whose code is not ours (D1's). */
const byFunction = (profile) =>
  selfTimeBy(profile, (frame) =>
    `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}`.trim(),
  )

async function profileRun(name, bundle, migrations, path, request) {
  const persist = mkdtempSync(join(tmpdir(), 'readerdesk-profile-d1-'))
  const mf = new Miniflare({
    ...workerOptions({
      bundle,
      persist,
      quiet: true,
      bindings: {
        ALLOWED_ORIGINS: SITE,
        IP_HASH_SALT: 'profile',
        RATE_LIMIT_REPORTS_PER_MINUTE: '10',
      },
    }),
    inspectorPort: INSPECTOR_PORT,
  })
  const url = (await mf.ready).origin
  const db = await mf.getD1Database('DB')
  for (const migration of await readD1Migrations(join(root, migrations))) {
    await db.batch(migration.queries.map((query) => db.prepare(query)))
  }
  const run = (amount) =>
    new Promise((resolve, reject) =>
      autocannon({ url: `${url}${path}`, connections: 8, amount, ...request }, (error, result) =>
        error ? reject(error) : resolve(result),
      ),
    )
  await run(Math.ceil(REQUESTS / 10))
  const worker = await inspect('core:user:')
  const database = await inspect('d1:db:readerdesk')
  await Promise.all([worker.start(), database.start()])
  const result = await run(REQUESTS)
  const [{ profile: workerProfile }, { profile: d1Profile }] = await Promise.all([
    worker.stop(),
    database.stop(),
  ])
  worker.socket.close()
  database.socket.close()
  await mf.dispose()
  if (result.non2xx) throw new Error(`${name}: ${result.non2xx} answers were not 2xx`)
  const perRequest = (profile) => Math.round(busy(profile) / REQUESTS)
  console.log(
    `${name}: Worker isolate ${perRequest(workerProfile)} µs of CPU per request, D1 isolate ${perRequest(d1Profile)} µs`,
  )
  return { workerProfile, d1Profile }
}

const floor = unminified('bench/floor/wrangler.toml')
const app = unminified('wrangler.toml')
await profileRun('floor (one INSERT)', floor, 'bench/floor/migrations', '/insert', {
  method: 'POST',
  body: 'x',
})
const { workerProfile, d1Profile } = await profileRun(
  'readerdesk (a widget report)',
  app,
  'migrations',
  '',
  {
    requests: [widgetNewReport()],
  },
)
console.log('readerdesk Worker isolate, self time by module:')
console.log(byModule(workerProfile, readFileSync(join(app, 'index.js'), 'utf8')).join('\n'))
console.log('readerdesk D1 isolate, self time by function:')
console.log(byFunction(d1Profile).join('\n'))
