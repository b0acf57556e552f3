import type { MiddlewareHandler } from 'hono'

/** The policy of our own HTML pages unless a page sets a stricter or wider one itself. */
export const DEFAULT_PAGE_CSP =
  "default-src 'none'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/**
 * Headers every answer carries. API answers are private and uncacheable unless the route
 * says otherwise (public corrections, the widget); HTML pages get a Content-Security-Policy.
 * No referrer leaves unless a page allows one (the editors' app: `same-origin`, since under
 * `no-referrer` browsers send its own forms with `Origin: null`).
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next()
    const headers = c.res.headers
    headers.set('X-Content-Type-Options', 'nosniff')
    if (!headers.has('Referrer-Policy')) headers.set('Referrer-Policy', 'no-referrer')
    headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store')
    if (headers.get('Content-Type')?.startsWith('text/html')) {
      if (!headers.has('Content-Security-Policy'))
        headers.set('Content-Security-Policy', DEFAULT_PAGE_CSP)
      headers.set('X-Frame-Options', 'DENY')
    }
  }
}
