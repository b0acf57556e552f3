/**
 * The web app's sessions and its same-origin rule. Signing in with a token starts a session: a
 * random id in an HttpOnly, SameSite=Strict cookie (Secure and `__Host-` except on plain-http
 * loopback), of which D1 keeps only the SHA-256 hash. The token itself never reaches the browser
 * again. Every request reads the account as it is now, so revoking it ends its sessions at once.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { Actor, AppEnv } from '../http/context'
import { randomToken, sha256Hex } from '../http/crypto'
import { ApiError } from '../http/problem'
import { deleteSession, findSession, insertSession } from './session-store'

export const SESSION_HOURS = 12

const SESSION_MS = SESSION_HOURS * 60 * 60 * 1000

/** Plain http on a loopback host (`npm run dev`), where a Secure cookie would never be sent. */
function isLocalHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
}

/** The cookie's name: `__Host-` binds it to this host, over https only, for the whole site. */
export function sessionCookieName(url: string): string {
  return isLocalHttp(new URL(url)) ? 'readerdesk_session' : '__Host-readerdesk_session'
}

function writeCookie(c: Context<AppEnv>, value: string, maxAge: number): void {
  setCookie(c, sessionCookieName(c.req.url), value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Strict',
    secure: !isLocalHttp(new URL(c.req.url)),
    maxAge,
  })
}

/** The hash of the adminToken a bootstrap-admin session was opened with. */
const adminTokenHash = (token: string) => sha256Hex(`readerdesk admin session:${token}`)

/** Starts a session for `actor` and sets its cookie. */
export async function startSession(c: Context<AppEnv>, actor: Actor): Promise<void> {
  const id = randomToken(32)
  const now = Date.now()
  const adminToken = c.get('config').adminToken
  await insertSession(c.env.DB, {
    idHash: await sha256Hex(id),
    editorId: actor.id,
    adminTokenHash: actor.id === null && adminToken ? await adminTokenHash(adminToken) : null,
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + SESSION_MS).toISOString(),
  })
  writeCookie(c, id, SESSION_MS / 1000)
}

/** Ends the request's session, if any, in D1 and in the browser. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const id = getCookie(c, sessionCookieName(c.req.url))
  if (id) await deleteSession(c.env.DB, await sha256Hex(id))
  writeCookie(c, '', 0)
}

/** The acting editor of the request's session, or `null` when there is none (or it ended). */
export async function sessionActor(c: Context<AppEnv>): Promise<Actor | null> {
  const id = getCookie(c, sessionCookieName(c.req.url))
  if (!id || id.length > 64) return null
  const row = await findSession(c.env.DB, await sha256Hex(id), new Date().toISOString())
  if (!row) return null
  if (row.editor_id !== null) {
    return row.name && row.role ? { id: row.editor_id, name: row.name, role: row.role } : null
  }
  const adminToken = c.get('config').adminToken
  if (!adminToken || row.admin_token_hash !== (await adminTokenHash(adminToken))) return null
  return { id: null, name: 'admin', role: 'admin' }
}

/** Needs a session: without one, a page sends the editor to sign in and a form is refused. */
export function requireSession(): MiddlewareHandler<AppEnv> {
  return async function requireSession(c, next) {
    const actor = await sessionActor(c)
    if (!actor) {
      if (c.req.method === 'GET' || c.req.method === 'HEAD')
        return c.redirect('/admin/sign-in', 303)
      throw new ApiError('unauthorized', 'Your session has ended; sign in again.')
    }
    c.set('actor', actor)
    await next()
  }
}

/**
 * Refuses a state-changing request that does not come from a page of this very origin: its
 * `Origin`, or without one its `Sec-Fetch-Site`, must say so. Another port of the same host
 * is same-site but not same-origin, and is refused too.
 */
export function sameOriginWrites(): MiddlewareHandler<AppEnv> {
  return async function sameOriginWrites(c, next) {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin')
      const own = new URL(c.req.url).origin
      const allowed =
        origin !== undefined ? origin === own : c.req.header('sec-fetch-site') === 'same-origin'
      if (!allowed)
        throw new ApiError('forbidden', 'Forms are accepted from this app’s own pages only.')
    }
    await next()
  }
}
