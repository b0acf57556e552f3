import type { MiddlewareHandler } from 'hono'

/**
 * For public, anonymous reads any site may show (tiers, supporter figures, corrections):
 * cacheable for `maxAge` seconds and readable from any origin, since they carry nothing private.
 */
export function publicRead(maxAge: number): MiddlewareHandler {
  return async function publicRead(c, next) {
    await next()
    c.res.headers.set('Access-Control-Allow-Origin', '*')
    if (c.res.ok) c.res.headers.set('Cache-Control', `public, max-age=${maxAge}`)
  }
}
