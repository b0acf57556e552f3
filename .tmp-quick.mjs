import autocannon from 'autocannon'
import { randomUUID } from 'node:crypto'
import { bundleWorker, startWorker } from './scripts/local-worker.mjs'
const SITE = 'https://news.example'
const N = Number(process.env.N ?? 3000)
const run = (opts) => new Promise((res, rej) => autocannon({ connections: 8, ...opts }, (e, r) => e ? rej(e) : res(r)))
async function measure(name, opts) {
  await run({ ...opts, amount: 300 })
  const t = performance.now(); const r = await run({ ...opts, amount: N }); const s = (performance.now() - t) / 1000
  const rps = Math.round(r.requests.total / s); console.log(name, rps, 'req/s', JSON.stringify(r.statusCodeStats ?? {}), 'non2xx', r.non2xx); return rps
}
const lines = []
const app = bundleWorker(); const fb = bundleWorker('bench/floor/wrangler.toml')
const floor = await startWorker({ bundle: fb.outdir, migrations: 'bench/floor/migrations', quiet: true })
const f1 = await measure('floor', { url: `${floor.url}/insert`, method: 'POST', body: 'x' })
const w = await startWorker({ bundle: app.outdir, quiet: true, bindings: { ALLOWED_ORIGINS: SITE, ADMIN_TOKEN: 'x'.repeat(32), IP_HASH_SALT: 'b', RATE_LIMIT_REPORTS_PER_MINUTE: process.env.LIMIT ?? '10' } })
if (process.env.EXP?.includes('nofts')) await w.db.prepare('DROP TRIGGER submissions_search').run()
if (process.env.EXP?.includes('noidx')) for (const i of ['reports_status_first_reported','reports_status_submissions','reports_kind_status_first_reported','reports_url_first_reported','reports_assignee_first_reported','submissions_report','submissions_email']) await w.db.prepare('DROP INDEX ' + i).run()
const ip = () => `10.${Math.random()*255|0}.${Math.random()*255|0}.${Math.random()*255|0}`
const req = (body) => ({ method: 'POST', path: '/v1/reports', setupRequest: (r) => ({ ...r, headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip(), ...(process.env.NOKEY ? {} : { 'idempotency-key': randomUUID() }) }, body: JSON.stringify(body()) }) })
const ctx = 'The city council voted on Tuesday to approve the budget for the next fiscal year, which '
const n = await measure('new', { url: w.url, requests: [req(() => ({ url: `${SITE}/2026/11/${randomUUID()}`, quote: `the budgt ${randomUUID()}`, context_before: ctx, context_after: ctx, suggestion: 'the budget', comment: 'Typo in the second paragraph.', title: 'City approves budget', lang: 'en', website: '' }))] })
const j = await measure('join', { url: w.url, requests: [req(() => ({ url: `${SITE}/2026/11/viral`, quote: 'The Viral Typo', context_before: ctx, context_after: ctx, comment: `me too ${randomUUID()}`, title: 'Viral', lang: 'en', website: '' }))] })
const f2 = await measure('floor', { url: `${floor.url}/insert`, method: 'POST', body: 'x' })
const fl = (f1 + f2) / 2
console.log('ratios new', (n / fl).toFixed(2), 'join', (j / fl).toFixed(2))
await w.close(); await floor.close()
