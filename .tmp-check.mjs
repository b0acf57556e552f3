import { bundleWorker, startWorker } from './scripts/local-worker.mjs'
const app = bundleWorker()
const w = await startWorker({ bundle: app.outdir, quiet: true, bindings: { ALLOWED_ORIGINS: 'https://news.example', IP_HASH_SALT: 's', ADMIN_TOKEN: 'x'.repeat(32) } })
const r = await fetch(w.url + '/v1/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url: 'nope', quote: 5, email: 'bad' }) })
console.log(r.status, await r.text())
const d = await fetch(w.url + '/openapi.json'); console.log(d.status, (await d.text()).length)
await w.close()
