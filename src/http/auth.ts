import type { MiddlewareHandler } from 'hono'
import { secretsEqual } from './crypto'
import { ApiError } from './problem'
import type { Actor, AppEnv, Role } from './context'

/** Finds the editor a bearer token belongs to; tokens are looked up by hash only. */
export type TokenResolver = (db: D1Database, token: string) => Promise<Actor | null>

const BEARER = /^Bearer +([\x21-\x7e]+) *$/i

function unauthorized(detail: string, tokenGiven: boolean): ApiError {
  const challenge = tokenGiven
    ? 'Bearer realm="readerdesk", error="invalid_token"'
    : 'Bearer realm="readerdesk"'
  return new ApiError('unauthorized', detail, { headers: { 'WWW-Authenticate': challenge } })
}

/**
 * Who holds `token`: the bootstrap admin when it is ADMIN_TOKEN (compared in constant time),
 * else whoever `resolve` finds; `null` for nobody.
 */
export async function actorForToken(
  adminToken: string | undefined,
  db: D1Database,
  token: string,
  resolve?: TokenResolver,
): Promise<Actor | null> {
  if (adminToken && (await secretsEqual(token, adminToken))) {
    return { id: null, name: 'admin', role: 'admin' }
  }
  return resolve ? resolve(db, token) : null
}

/**
 * Bearer authentication for the editors' API. ADMIN_TOKEN is the bootstrap admin, compared in
 * constant time; any other token goes to `resolve`. Tokens are read from the Authorization
 * header only, never from the query string, where they would end up in logs and histories.
 */
export function bearerAuth(resolve?: TokenResolver): MiddlewareHandler<AppEnv> {
  return async function bearerAuth(c, next) {
    const header = c.req.header('authorization')
    if (!header) throw unauthorized('Send an editor token as Authorization: Bearer <token>.', false)
    const token = BEARER.exec(header)?.[1]
    if (!token) throw unauthorized('The Authorization header must use the Bearer scheme.', false)
    const actor = await actorForToken(c.get('config').adminToken, c.env.DB, token, resolve)
    if (!actor) throw unauthorized('This token is not valid or was revoked.', true)
    c.set('actor', actor)
    await next()
  }
}

/** Refuses editors on routes that need a stronger role. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async function requireRole(c, next) {
    if (role === 'admin' && c.get('actor').role !== 'admin') {
      throw new ApiError('forbidden', 'Only admins may do this.')
    }
    await next()
  }
}
