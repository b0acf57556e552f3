import autocannon from 'autocannon'
import { randomUUID } from 'node:crypto'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'; import { tmpdir } from 'node:os'
import WebSocket from 'ws'
import { Miniflare } from 'miniflare'
import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { bundleWorker } from './scripts/local-worker.mjs'
const SITE = 'https://news.example'
import { execFileSync } from 'node:child_process'
const app = { outdir: mkdtempSync(join(tmpdir(), 'b-')) }
execFileSync(process.execPath, ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--minify=false', '--outdir', app.outdir, ...(process.env.FLOOR ? ['--config', 'bench/floor/wrangler.toml'] : [])], { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: 'pipe' })
const mf = new Miniflare({ scriptPath: join(app.outdir, 'index.js'), modules: true, modulesRoot: app.outdir, compatibilityDate: '2026-04-20', compatibilityFlags: ['nodejs_compat'], d1Databases: { DB: 'readerdesk' }, d1Persist: mkdtempSync(join(tmpdir(), 'p-')), bindings: { ALLOWED_ORIGINS: SITE, ADMIN_TOKEN: 'x'.repeat(32), IP_HASH_SALT: 'b', RATE_LIMIT_REPORTS_PER_MINUTE: '10' }, host: '127.0.0.1', port: 0, inspectorPort: 9339, handleRuntimeStdio: (o, e) => (o.resume(), e.resume()) })
const url = (await mf.ready).origin
const db = await mf.getD1Database('DB')
for (const m of await readD1Migrations(process.env.FLOOR ? 'bench/floor/migrations' : 'migrations')) await db.batch(m.queries.map((q) => db.prepare(q)))
if (process.env.EXP?.includes('nofts')) await db.prepare('DROP TRIGGER submissions_search').run()
if (process.env.EXP?.includes('noidx')) for (const i of ['reports_status_first_reported','reports_status_submissions','reports_kind_status_first_reported','reports_url_first_reported','reports_assignee_first_reported','submissions_report','submissions_email']) await db.prepare('DROP INDEX ' + i).run()
const targets = await (await fetch('http://127.0.0.1:9339/json')).json()
console.log(targets.map(t => t.title + ' ' + t.webSocketDebuggerUrl))
const t = targets.find(t => t.title.includes(process.env.TARGET ?? 'core:user:'))
const ws = new WebSocket(t.webSocketDebuggerUrl); await new Promise(r => ws.on('open', r))
let id = 0; const pending = new Map()
ws.on('message', (m) => { const d = JSON.parse(m); if (d.id && pending.has(d.id)) { pending.get(d.id)(d); pending.delete(d.id) } })
const send = (method, params = {}) => new Promise(r => { const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params })) })
const ip = () => `10.${Math.random()*255|0}.${Math.random()*255|0}.${Math.random()*255|0}`
const ctx = 'The city council voted on Tuesday to approve the budget for the next fiscal year, which '
const req = { method: 'POST', path: '/v1/reports', setupRequest: (r) => ({ ...r, headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip(), 'idempotency-key': randomUUID() }, body: JSON.stringify({ url: `${SITE}/2026/11/${randomUUID()}`, quote: `the budgt ${randomUUID()}`, context_before: ctx, context_after: ctx, suggestion: 'the budget', comment: 'Typo in the second paragraph.', title: 'City approves budget', lang: 'en', website: '' }) }) }
const run = (amount) => new Promise((res, rej) => autocannon(process.env.FLOOR ? { url: url + '/insert', method: 'POST', body: 'x', connections: 8, amount } : { url, connections: 8, amount, requests: [req] }, (e, r) => e ? rej(e) : res(r)))
await run(300)
await send('Profiler.enable'); await send('Profiler.setSamplingInterval', { interval: 200 }); await send('Profiler.start')
const r = await run(2000)
const { result } = await send('Profiler.stop')
writeFileSync('/tmp/prof.cpuprofile', JSON.stringify(result.profile))
console.log('done', r.non2xx)
{ const p = result.profile; const byId = new Map(p.nodes.map(n => [n.id, n])); let busy = 0, all = 0
  p.samples.forEach((s, i) => { const d = p.timeDeltas[i] ?? 0; all += d; if (byId.get(s).callFrame.functionName !== '(idle)') busy += d })
  console.log('BUSY us/request', Math.round(busy / 2000), 'wall us/request', Math.round(all / 2000), 'rps', Math.round(r.requests.total / (all / 1e6))) }
// summarize self time by function
const p = result.profile; const self = new Map(); const total = p.samples.length
const byId = new Map(p.nodes.map(n => [n.id, n]))
const counts = new Map(); for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1)
for (const [nid, c] of counts) { const n = byId.get(nid); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + c) }
// inclusive
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const incl = new Map()
for (const [nid, c] of counts) { const seen = new Set(); let cur = nid; while (cur !== undefined) { const n = byId.get(cur); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + c) } cur = parent.get(cur) } }
console.log('--- inclusive'); console.log([...incl].sort((a,b)=>b[1]-a[1]).slice(0,60).map(([k,c])=>`${(100*c/total).toFixed(1)}% ${k}`).join('\n'))
console.log('--- self'); console.log([...self].sort((a,b)=>b[1]-a[1]).slice(0,30).map(([k,c])=>`${(100*c/total).toFixed(1)}% ${k}`).join('\n'))
ws.close(); await mf.dispose()
