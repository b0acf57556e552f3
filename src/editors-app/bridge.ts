/**
 * The supporters' list, its CSV and the payments, as the API's own admin routes answer them,
 * called in-process for a signed-in admin. Their paging and the streamed CSV live in those
 * handlers (src/support/admin-routes.ts); the web app asks them rather than copy them.
 */
import { Hono } from 'hono'
import type { Actor, AppEnv } from '../http/context'
import { ApiError, onError, type ProblemCode } from '../http/problem'
import { supportAdmin } from '../support/admin-routes'

/** The actor of each in-process request; only this module makes such requests. */
const actors = new WeakMap<Request, Actor>()

const internal = new Hono<AppEnv>()
internal.use('*', async function sessionActor(c, next) {
  const actor = actors.get(c.req.raw)
  if (!actor) throw new ApiError('unauthorized', 'Only the web app calls this.')
  c.set('actor', actor)
  await next()
})
internal.route('/', supportAdmin)
internal.onError(onError)

/** The answer of `GET /v1/admin{path}` for `actor`; an error answer is thrown as its problem. */
export async function askSupportAdmin(
  request: Request,
  env: AppEnv['Bindings'],
  actor: Actor,
  path: string,
): Promise<Response> {
  const inner = new Request(new URL(path, request.url))
  actors.set(inner, actor)
  const response = await internal.fetch(inner, env)
  if (!response.ok) {
    const problem = (await response.json()) as { code: ProblemCode; detail: string }
    throw new ApiError(problem.code, problem.detail)
  }
  return response
}
