/**
 * The browser tests' Chromium, settled once per run before any browser test file loads (the
 * browser project's globalSetup, so a run without browser tests never gets here). It is
 * CHROMIUM_PATH when set, else Debian's /usr/bin/chromium. When Debian's is missing it is
 * installed the way `playwright install --with-deps` installs system packages: as root, with
 * apt-get update then apt-get install -y chromium. Where no browser can be had the browser tests
 * are skipped with the reason, on stderr and in their titles, and the rest of the run goes on.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { TestProject } from 'vitest/node'

/** Where Debian's chromium package puts its launcher. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium'

/** The browser the tests drive, or why they are skipped. */
export type Chromium = { path: string } | { skipped: string }

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: Chromium
  }
}

export default async function setup(project: TestProject): Promise<void> {
  // A failed install must cost the browser tests only, never the run.
  const chromium = await findChromium().catch((error: unknown): Chromium => ({
    skipped: `installing Chromium failed: ${String(error)}`,
  }))
  if ('skipped' in chromium) console.error(`Browser tests skipped: ${chromium.skipped}.`)
  project.provide('chromium', chromium)
}

async function findChromium(): Promise<Chromium> {
  const path = process.env.CHROMIUM_PATH || DEBIAN_CHROMIUM
  if (existsSync(path)) return { path }
  // apt-get can only put Chromium at Debian's path; a CHROMIUM_PATH elsewhere is the user's own.
  if (path !== DEBIAN_CHROMIUM) return { skipped: `CHROMIUM_PATH is ${path}, which does not exist` }
  const missing = `no Chromium at ${DEBIAN_CHROMIUM}`
  if (flag(process.env.READERDESK_NO_BROWSER_INSTALL)) {
    return { skipped: `${missing}, and READERDESK_NO_BROWSER_INSTALL turns off installing it` }
  }
  if (!onPath('apt-get')) {
    return { skipped: `${missing} and no apt-get to install it; set CHROMIUM_PATH to a Chromium` }
  }
  if (process.getuid?.() !== 0) {
    return {
      skipped: `${missing}; installing it needs root (sudo apt-get install -y chromium), or set CHROMIUM_PATH`,
    }
  }
  console.error(
    `Browser tests: ${missing}; installing Debian's chromium (apt-get update, apt-get install -y chromium).`,
  )
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const failure = await aptGet(args)
    if (failure) return { skipped: `apt-get ${args.join(' ')} failed (${failure})` }
  }
  if (!existsSync(DEBIAN_CHROMIUM)) {
    return { skipped: `apt-get installed chromium, yet ${DEBIAN_CHROMIUM} is missing` }
  }
  console.error(`Browser tests: installed Debian's chromium at ${DEBIAN_CHROMIUM}.`)
  return { path: DEBIAN_CHROMIUM }
}

/** An environment switch is on unless unset, empty, `0` or `false`. */
function flag(value: string | undefined): boolean {
  return !!value && value !== '0' && value !== 'false'
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, command)))
}

/**
 * Runs apt-get without prompts, waiting for another apt's lock rather than failing, and passes
 * its output through vitest's own streams so the reporter's live summary does not overwrite it.
 * Resolves to how it failed, or null when it succeeded.
 */
function aptGet(args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn('apt-get', ['-o', 'DPkg::Lock::Timeout=300', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
    child.stdout.on('data', (chunk: Buffer) => process.stdout.write(chunk))
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk))
    child.on('error', (error) => resolve(error.message))
    child.on('close', (code, signal) =>
      resolve(code === 0 ? null : code === null ? `killed by ${signal}` : `exit ${code}`),
    )
  })
}
