import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { Config } from '../env'
import { ApiError } from './problem'
import type { AppEnv } from './context'

export function isAllowedOrigin(config: Config, origin: string): boolean {
  return config.allowedOrigins.has(origin)
}

/** Whether an absolute URL lives on one of the sites in ALLOWED_ORIGINS. */
export function isOnAllowedOrigin(config: Config, url: string): boolean {
  return isAllowedOrigin(config, new URL(url).origin)
}

/** CORS for the news sites in ALLOWED_ORIGINS: answers preflights, exposes what the widget reads. */
export function siteCors(): MiddlewareHandler<AppEnv> {
  return cors({
    origin: (origin, c) => (isAllowedOrigin(c.get('config'), origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key', 'Authorization', 'If-Match'],
    exposeHeaders: ['Retry-After', 'X-Request-Id', 'ETag', 'Location'],
    maxAge: 86400,
  })
}

/** Refuses a browser request sent from a page that is not one of the newsroom's sites. */
export function requireAllowedOrigin(): MiddlewareHandler<AppEnv> {
  return async function requireAllowedOrigin(c, next) {
    const origin = c.req.header('origin')
    if (origin !== undefined && !isAllowedOrigin(c.get('config'), origin)) {
      throw new ApiError('origin_not_allowed', 'Requests from this site are not accepted.')
    }
    await next()
  }
}
