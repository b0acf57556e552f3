import type { MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { AppEnv } from './context'
import { noUsage } from './metered-d1'

/**
 * One structured line per request: its id, method, route pattern (`/v1/submissions/:id`, never
 * the path with its ids, nor the query string with its tokens), status, duration and what it
 * cost in D1 (round trips, rows read and written, as D1 bills them). Nothing
 * that names a reader (email, IP) is ever logged.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLog(c, next) {
    const started = Date.now()
    await next()
    console.log(
      JSON.stringify({
        level: 'info',
        message: 'request',
        request_id: c.get('requestId'),
        method: c.req.method,
        route: routePath(c) || '(unmatched)',
        status: c.res.status,
        duration_ms: Date.now() - started,
        d1: c.get('d1') ?? noUsage(),
      }),
    )
  }
}
