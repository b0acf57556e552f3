/**
 * The editors' web app at /admin: server-rendered pages and plain forms over the same store
 * functions, workflow and ETags as the API. Mounted by src/app.ts; not in /openapi.json, like
 * /docs. Its pages: signing in (./sign-in-routes.tsx), then behind a session every editor's
 * (./report-routes.tsx) and the admins' (./admin-routes.tsx).
 */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { Actor, AppEnv } from '../http/context'
import { ApiError, onError, PROBLEM_CODES } from '../http/problem'
import { adminRoutes } from './admin-routes'
import { APP_CSS, APP_JS } from './assets'
import { render } from './layout'
import { ErrorPage, SignIn } from './pages'
import { reportRoutes } from './report-routes'
import { requireSession, sameOriginWrites } from './session'
import { signInRoutes } from './sign-in-routes'

export const editorsApp = new Hono<AppEnv>()

const FORM_LIMIT = 64 * 1024

const asset = (body: string, type: string) => (c: Context<AppEnv>) =>
  c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=300' })

editorsApp.get('/app.css', asset(APP_CSS, 'text/css; charset=utf-8'))
editorsApp.get('/app.js', asset(APP_JS, 'text/javascript; charset=utf-8'))

editorsApp.use(
  '*',
  sameOriginWrites(),
  bodyLimit({
    maxSize: FORM_LIMIT,
    onError: () => {
      throw new ApiError('payload_too_large', `A form may send at most ${FORM_LIMIT} bytes.`)
    },
  }),
)

editorsApp.route('/', signInRoutes)

// Every page below needs a session; the order of these lines is the order of the checks.
editorsApp.use('*', requireSession())
editorsApp.route('/', reportRoutes)
editorsApp.route('/', adminRoutes)

editorsApp.all('*', () => {
  throw new ApiError('not_found', 'There is no such page.')
})

/** Errors as pages: the same codes and words as the API's problems, in HTML. */
editorsApp.onError(async (error, c) => {
  let problem: ApiError
  if (error instanceof ApiError) problem = error
  else if (error instanceof HTTPException && error.status < 500)
    problem = new ApiError('validation_failed', 'The request could not be read.')
  else {
    await onError(error, c)
    problem = new ApiError('internal', 'Something went wrong; try again in a moment.')
  }
  const actor: Actor | null = c.get('actor') ?? null
  const title = PROBLEM_CODES[problem.code].title
  if (problem.code === 'unauthorized') return render(c, <SignIn error={problem.message} />, 401)
  return render(
    c,
    <ErrorPage actor={actor} title={title} message={problem.message} />,
    problem.status,
  )
})
