#!/usr/bin/env node
// Fails when the deployed Worker (gzip, as `wrangler deploy --dry-run` reports it) or the
// reader widget (gzip) grows past the budget in bench/budget.json. Run by .ci/run.
import { readFileSync } from 'node:fs'
import { buildWidget } from './build-widget.mjs'
import { bundleWorker } from './local-worker.mjs'

const budget = JSON.parse(readFileSync(new URL('../bench/budget.json', import.meta.url), 'utf8'))
const worker = bundleWorker()
const widget = await buildWidget({ quiet: true })
const checks = [
  ['Worker bundle, gzip KiB', worker.gzipKiB, budget.worker_gzip_kib],
  ['widget.js, gzip bytes', widget.gzip, budget.widget_gzip_bytes],
]
for (const [name, size, limit] of checks) {
  console.log(`${size <= limit ? 'ok  ' : 'OVER'} ${name}: ${size} (budget ${limit})`)
}
if (checks.some(([, size, limit]) => size > limit)) {
  console.error(
    'A size budget is exceeded: shrink it, or raise bench/budget.json with a reason in the commit.',
  )
  process.exit(1)
}
