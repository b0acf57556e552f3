/**
 * The browser tests' world, all on 127.0.0.1: the built Worker in workerd (through Miniflare,
 * with its own D1), a news site on another origin serving article pages that embed the
 * widget, the local stand-ins for Stripe and siteverify, and Debian's headless Chromium
 * driven by playwright-core (./chromium.ts finds or installs it before the tests load).
 */
import { mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { describe, inject } from 'vitest'
import { bundleWorker, startWorker } from '../../scripts/local-worker.mjs'
import { startFakeServices } from '../helpers/fake-services'
import { STRIPE_SECRET_KEY } from '../helpers/fakes'

const CHROMIUM = inject('chromium')
export const ARTIFACTS = 'test-results'

export interface ArticleOptions {
  lang?: string
  canonical?: string
  css?: string
  body?: string
}

export const ARTICLE_TEXT =
  'The Riverside branch library reopened on Saturday morning, two years after a burst pipe flooded its reading room. ' +
  'More than 400 residents queued before the doors opened at nine, and the head librarian thanked the crews.'

/** An article page of the news site, embedding the widget from the API host. */
export function articlePage(api: string, options: ArticleOptions = {}): string {
  return `<!doctype html><html lang="${options.lang ?? 'en'}"><head><meta charset="utf-8">
<title>Library reopens — Harbour Ledger</title>
<link rel="icon" href="data:,">
${options.canonical ? `<link rel="canonical" href="${options.canonical}">` : ''}
${options.css ? `<style>${options.css}</style>` : ''}
<script src="${api}/widget.js" defer></script></head>
<body><main><article>
<h1>Library reopens</h1>
<p id="lead">${ARTICLE_TEXT}</p>
<p id="second">The renovation cost 3.2 million and added a children's floor.</p>
<form><label>Search <input id="search" value="search words here"></label><textarea id="notes">notes typed by a reader</textarea></form>
<p><a href="#" id="report-link" data-readerdesk="report">Suggest a correction</a></p>
${options.body ?? ''}
</article></main></body></html>`
}

/** The news site: serves whatever page a test registers for a path. */
export async function startSite(): Promise<{
  origin: string
  pages: Map<string, string>
  close(): Promise<void>
}> {
  const pages = new Map<string, string>()
  const server: Server = createServer((request, response) => {
    const page = pages.get(new URL(request.url ?? '/', 'http://x').pathname)
    response.writeHead(page ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' })
    response.end(page ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, pages, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

/**
 * `describe` for tests that drive the browser; where this machine has no Chromium, skipped with
 * the reason in its title. A file whose tests are all skipped runs none of its hooks either.
 */
export function describeInBrowser(title: string, body: () => void): void {
  if ('skipped' in CHROMIUM) describe.skip(`${title} [skipped: ${CHROMIUM.skipped}]`, body)
  else describe(title, body)
}

export async function launchBrowser(): Promise<Browser> {
  if ('skipped' in CHROMIUM) throw new Error(`No Chromium: ${CHROMIUM.skipped}`)
  mkdirSync(ARTIFACTS, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
}

/** Every console error and uncaught exception a page shows; tests expect none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

/** Selects `text` inside the element `selector` of the page, as a reader's mouse would. */
export async function select(page: Page, selector: string, text: string): Promise<void> {
  await page.evaluate(
    ([css, words]) => {
      const node = document.querySelector(css)!.firstChild as Text
      const start = node.data.indexOf(words)
      const range = document.createRange()
      range.setStart(node, start)
      range.setEnd(node, start + words.length)
      const selection = window.getSelection()!
      selection.removeAllRanges()
      selection.addRange(range)
    },
    [selector, text] as const,
  )
}

export interface World {
  api: string
  site: Awaited<ReturnType<typeof startSite>>
  worker: Awaited<ReturnType<typeof startWorker>>
  fakes: Awaited<ReturnType<typeof startFakeServices>>
  close(): Promise<void>
}

let bundle: string | null = null

/**
 * Starts the Worker (bundled once per process), the site and the fakes; `onLine` gets each line
 * the Worker writes to stdout and each line Miniflare logs (scripts/local-worker.mjs).
 */
export async function startWorld(
  bindings: Record<string, string> = {},
  options: { onLine?: (line: string) => void } = {},
): Promise<World> {
  bundle ??= bundleWorker().outdir
  const fakes = await startFakeServices()
  const site = await startSite()
  const worker = await startWorker({
    bundle,
    bindings: {
      ALLOWED_ORIGINS: site.origin,
      IP_HASH_SALT: 'browser-tests',
      ADMIN_TOKEN: 'browser-admin',
      RATE_LIMIT_REPORTS_PER_MINUTE: '0',
      RATE_LIMIT_CHECKOUTS_PER_MINUTE: '0',
      STRIPE_API_BASE: fakes.stripeUrl,
      STRIPE_SECRET_KEY,
      SUPPORT_SUCCESS_URL: `${site.origin}/support/thanks`,
      SUPPORT_CANCEL_URL: `${site.origin}/support`,
      TURNSTILE_VERIFY_URL: `${fakes.turnstileUrl}/turnstile/v0/siteverify`,
      ...bindings,
    },
    ...(options.onLine ? { onLine: options.onLine, miniflareLog: true } : {}),
  })
  return {
    api: worker.url,
    site,
    worker,
    fakes,
    async close() {
      await worker.close()
      await site.close()
      await fakes.close()
    },
  }
}
