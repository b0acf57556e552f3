/** Signing in to the web app with a token, and signing out. */
import { Hono } from 'hono'
import { resolveEditorToken } from '../editors/tokens'
import { actorForToken } from '../http/auth'
import type { AppEnv } from '../http/context'
import { formOf } from './forms'
import { render } from './layout'
import { SignIn } from './pages'
import { endSession, sessionActor, startSession } from './session'

export const signInRoutes = new Hono<AppEnv>()

signInRoutes.get('/sign-in', async (c) => {
  if (await sessionActor(c)) return c.redirect('/admin', 303)
  return render(
    c,
    <SignIn notice={c.req.query('signed_out') ? 'You are signed out.' : undefined} />,
  )
})

signInRoutes.post('/sign-in', async (c) => {
  const token = (await formOf(c)).token?.trim() ?? ''
  const actor =
    token && token.length <= 200
      ? await actorForToken(c.get('config').adminToken, c.env.DB, token, resolveEditorToken)
      : null
  if (!actor) return render(c, <SignIn error="This token is not valid, or it was revoked." />, 401)
  await startSession(c, actor)
  return c.redirect('/admin', 303)
})

signInRoutes.post('/sign-out', async (c) => {
  await endSession(c)
  return c.redirect('/admin/sign-in?signed_out=1', 303)
})
