#!/usr/bin/env node
// Part of `npm test`: lints the OpenAPI document the real Worker serves with Redocly's
// recommended rules (redocly.yaml), offline. Bundles the Worker as `wrangler deploy` would,
// starts it on 127.0.0.1, writes its /openapi.json to a temporary file and runs `redocly lint`
// on it; any problem fails.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleWorker, startWorker } from './local-worker.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const redocly = join(root, 'node_modules/@redocly/cli/bin/cli.js')

const worker = await startWorker({ bundle: bundleWorker().outdir, migrations: null })
const file = join(mkdtempSync(join(tmpdir(), 'readerdesk-openapi-')), 'openapi.json')
try {
  const response = await fetch(`${worker.url}/openapi.json`)
  if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`)
  writeFileSync(file, await response.text())
} finally {
  await worker.close()
}

const lint = spawnSync(
  process.execPath,
  [redocly, 'lint', file, '--config', join(root, 'redocly.yaml'), '--format', 'stylish'],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      REDOCLY_TELEMETRY: 'off',
      REDOCLY_SUPPRESS_NOTIFICATIONS: 'true',
      REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
    },
  },
)
process.exit(lint.status ?? 1)
