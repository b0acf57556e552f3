import { createRoute, z } from '@hono/zod-openapi'
import { sha256Hex } from '../http/crypto'
import { ETAG_HEADER, PUBLIC_READ_HEADERS } from '../http/openapi'
import { createRouter } from '../http/router'
import { DEMO_CSS, DEMO_CSP, demoPage } from './demo'
import { WIDGET_SOURCE } from './generated'

export const widget = createRouter()

/** The served script: the bundle, given this deployment's settings. */
function widgetScript(turnstileSiteKey: string | undefined): string {
  const config = JSON.stringify({ turnstileSiteKey: turnstileSiteKey ?? null }).replace(
    /</g,
    '\\u003c',
  )
  return `(()=>{const __READERDESK_CONFIG__=${config};${WIDGET_SOURCE}})();\n`
}

const scripts = new Map<string, { body: string; etag: string }>()

async function servedScript(turnstileSiteKey: string | undefined) {
  const key = turnstileSiteKey ?? ''
  let script = scripts.get(key)
  if (!script) {
    const body = widgetScript(turnstileSiteKey)
    script = { body, etag: `"${(await sha256Hex(body)).slice(0, 32)}"` }
    scripts.set(key, script)
  }
  return script
}

const widgetRoute = createRoute({
  method: 'get',
  path: '/widget.js',
  tags: ['Readers'],
  summary: 'The reader widget',
  description:
    'One dependency-free script for article pages: `<script src="https://<api host>/widget.js" defer></script>`. ' +
    'Ctrl/⌘+Enter on a selection (or a `data-readerdesk="report"` element) opens the report dialog; ' +
    '`data-readerdesk="support"` buttons start Checkout; `data-readerdesk="corrections"` shows the ' +
    'article’s corrections (and adds their schema.org JSON-LD) and `data-readerdesk="goal"` the ' +
    'supporters’ goal.',
  responses: {
    200: {
      description: 'The script.',
      headers: { ...ETAG_HEADER, ...PUBLIC_READ_HEADERS },
      content: { 'text/javascript': { schema: z.string() } },
    },
    304: {
      description: 'Unchanged since the `If-None-Match` ETag.',
      headers: { ...ETAG_HEADER, ...PUBLIC_READ_HEADERS },
    },
  },
})

widget.openapi(widgetRoute, async (c) => {
  const script = await servedScript(c.get('config').turnstile.siteKey)
  c.header('ETag', script.etag)
  c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400')
  c.header('Access-Control-Allow-Origin', '*')
  c.header('Cross-Origin-Resource-Policy', 'cross-origin')
  if (c.req.header('if-none-match') === script.etag) return c.body(null, 304)
  return c.body(script.body, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
})

/** The sample article a newcomer sees at / with `npm run dev`; off unless DEMO_PAGE is on. */
widget.get('/', (c) => {
  if (!c.get('config').demoPage) return c.notFound()
  return c.html(demoPage(new URL('/', c.req.url).href), 200, {
    'Content-Security-Policy': DEMO_CSP,
  })
})

widget.get('/demo.css', (c) => {
  if (!c.get('config').demoPage) return c.notFound()
  return c.body(DEMO_CSS, 200, {
    'Content-Type': 'text/css; charset=utf-8',
    'Cache-Control': 'public, max-age=300',
  })
})
