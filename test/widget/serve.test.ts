import { describe, expect, it } from 'vitest'
import { call, expectProblem } from '../helpers/http'

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return (await new Response(stream).arrayBuffer()).byteLength
}

describe('GET /widget.js', () => {
  it('serves one script, cacheable, loadable from any site', async () => {
    const response = await call('/widget.js')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(response.headers.get('set-cookie')).toBeNull()
    const script = await response.text()
    expect(script).not.toMatch(/\bimport\b\s*[({'"]|require\(/)
    expect(script).toContain('"turnstileSiteKey":null')
  })

  it('is at most 12 KiB gzipped', async () => {
    const script = await (await call('/widget.js')).text()
    expect(await gzipSize(script)).toBeLessThanOrEqual(12 * 1024)
  })

  it('answers a matching If-None-Match with 304', async () => {
    const etag = (await call('/widget.js')).headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/)
    expect((await call('/widget.js', { headers: { 'if-none-match': etag } })).status).toBe(304)
  })

  it('carries the Turnstile site key when the deployment has one, safely quoted', async () => {
    const script = await (
      await call('/widget.js', { env: { TURNSTILE_SITE_KEY: '0x4AAA</script>' } })
    ).text()
    expect(script).toContain('"turnstileSiteKey":"0x4AAA\\u003c/script>"')
  })
})

describe('the demo article at /', () => {
  it('is off unless DEMO_PAGE is on', async () => {
    await expectProblem(await call('/'), 404, 'not_found')
    await expectProblem(await call('/demo.css'), 404, 'not_found')
  })

  it('shows a sample article with the widget, a report link, patron buttons and the docs', async () => {
    const response = await call('/', { env: { DEMO_PAGE: 'on' } })
    expect(response.status).toBe(200)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self' https://challenges.cloudflare.com")
    expect(csp).not.toContain('unsafe-inline')
    const html = await response.text()
    expect(html).toContain('<script src="/widget.js" defer></script>')
    expect(html).toContain('data-readerdesk="report"')
    expect(html).toMatch(
      /data-readerdesk="support" data-amount="500" data-currency="usd" data-interval="month"/,
    )
    expect(html).toContain('href="/docs"')
    expect(html).toContain('Ctrl</kbd> + <kbd>Enter')
    expect(
      (await call('/demo.css', { env: { DEMO_PAGE: 'on' } })).headers.get('content-type'),
    ).toMatch(/^text\/css/)
  })

  it('holds the corrections box, the goal bar and the link to the corrections log', async () => {
    const html = await (await call('/', { env: { DEMO_PAGE: 'on' } })).text()
    expect(html).toContain('data-readerdesk="corrections"')
    expect(html).toContain('data-readerdesk="goal"')
    expect(html).toContain('href="/corrections"')
  })
})
