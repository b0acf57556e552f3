import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { bundleWorker, startWorker } from './scripts/local-worker.mjs'
const app = bundleWorker(); const fb = bundleWorker('bench/floor/wrangler.toml')
const a = await startWorker({ bundle: app.outdir, quiet: true }); await a.close()
const f = await startWorker({ bundle: fb.outdir, migrations: 'bench/floor/migrations', quiet: true }); await f.close()
async function cold(bundle, persist, path) {
  const t0 = performance.now()
  const mf = new Miniflare({ scriptPath: join(bundle, 'index.js'), modules: true, modulesRoot: bundle, compatibilityDate: '2026-04-20', compatibilityFlags: ['nodejs_compat'], d1Databases: { DB: 'readerdesk' }, d1Persist: persist, bindings: { IP_HASH_SALT: 'x', ADMIN_TOKEN: 'x'.repeat(32) }, host: '127.0.0.1', port: 0, handleRuntimeStdio: (o, e) => (o.resume(), e.resume()) })
  const url = (await mf.ready).origin; const t1 = performance.now()
  const r = await fetch(url + path); await r.text(); const t2 = performance.now()
  const r2 = await fetch(url + path); await r2.text(); const t3 = performance.now()
  await mf.dispose()
  return [Math.round(t1 - t0), Math.round(t2 - t1), Math.round(t3 - t2), r.status]
}
for (let i = 0; i < 4; i++) {
  console.log('floor', await cold(fb.outdir, f.persist, '/select?id=none'), 'app', await cold(app.outdir, a.persist, '/health'))
}
