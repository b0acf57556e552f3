#!/usr/bin/env node
// `npm run dev`: readerdesk on this machine with nothing to set up. Applies the D1 migrations
// to the local database, then runs `wrangler dev` with local-only settings (no secrets needed).
// Flags after `npm run dev --` reach wrangler dev: --port and --persist-to are honoured by the
// migrations and the defaults too; --var NAME:VALUE, or NAME in .dev.vars, replaces the default.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))
const devVars = fileURLToPath(new URL('../.dev.vars', import.meta.url))
const args = process.argv.slice(2)
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }

/** The value of `--name value` or `--name=value`, if given. */
function flag(name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1]
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1)
  }
  return undefined
}

/** Names already given with --var or in .dev.vars, which keep the developer's value. */
function givenVars() {
  const names = new Set()
  if (existsSync(devVars)) {
    for (const line of readFileSync(devVars, 'utf8').split('\n')) {
      const name = /^\s*([A-Z_][A-Z0-9_]*)\s*=/.exec(line)?.[1]
      if (name) names.add(name)
    }
  }
  for (let i = 0; i < args.length; i++) {
    const inline = args[i].startsWith('--var=') ? [args[i].slice(6)] : []
    const following = []
    if (args[i] === '--var')
      for (let j = i + 1; j < args.length && !args[j].startsWith('--'); j++) following.push(args[j])
    for (const pair of [...inline, ...following]) names.add(pair.split(':', 1)[0])
  }
  return names
}

const port = flag('--port') ?? '8787'
const persistTo = flag('--persist-to')
const defaults = {
  ALLOWED_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`,
  IP_HASH_SALT: 'local-development-only',
  ADMIN_TOKEN: 'dev-admin-token',
  DEMO_PAGE: 'on',
  SUPPORT_SUCCESS_URL: `http://127.0.0.1:${port}/?support=thanks`,
  SUPPORT_CANCEL_URL: `http://127.0.0.1:${port}/`,
  // Readers' emails go to wrangler's local send_email, which writes each to a file and logs it.
  EMAIL_FROM: 'desk@news.example',
}
const given = givenVars()
const vars = Object.entries(defaults)
  .filter(([name]) => !given.has(name))
  .flatMap(([name, value]) => ['--var', `${name}:${value}`])

const migrate = spawnSync(
  process.execPath,
  [
    wrangler,
    'd1',
    'migrations',
    'apply',
    'DB',
    '--local',
    ...(persistTo ? ['--persist-to', persistTo] : []),
  ],
  { cwd: root, env, stdio: 'inherit' },
)
if (migrate.status !== 0) process.exit(migrate.status ?? 1)

const ip = flag('--ip') ? [] : ['--ip', '127.0.0.1']
const dev = spawn(process.execPath, [wrangler, 'dev', ...ip, ...vars, ...args], {
  cwd: root,
  env,
  stdio: 'inherit',
})
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal))
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
