import { requestId } from 'hono/request-id'
import { loadConfig } from './env'
import { corrections } from './corrections/routes'
import { correctionsLog } from './corrections/log-routes'
import { accessLog } from './http/access-log'
import { bearerAuth } from './http/auth'
import { meteredDatabase, noUsage } from './http/metered-d1'
import { securityHeaders } from './http/headers'
import { ADMIN_PREFIX, openApiDocument, serveOpenApi } from './http/openapi'
import { siteCors } from './http/origin'
import { notFound, onError } from './http/problem'
import { createRouter } from './http/router'
import { DOCS_CSS, renderDocs } from './ops/docs'
import { forget } from './notify/forget-routes'
import { ops } from './ops/routes'
import { webhooks } from './notify/webhook-routes'
import { documentWebhooks } from './notify/webhook-docs'
import { privacy } from './privacy/routes'
import { reports } from './reports/routes'
import { supportAdmin } from './support/admin-routes'
import { goal, goalAdmin } from './support/goal-routes'
import { support } from './support/routes'
import { stripeWebhook } from './support/webhook-routes'
import { editors } from './editors/routes'
import { editorsApp } from './editors-app/routes'
import { resolveEditorToken } from './editors/tokens'
import { triage } from './triage/routes'
import { widget } from './widget/routes'
import { stats } from './triage/stats-routes'

export const VERSION = '0.1.0'

/** The editors' API: every route below is behind the bearer guard of this sub-app. */
function createAdmin() {
  const admin = createRouter()
  admin.use('*', bearerAuth(resolveEditorToken))
  admin.route('/', triage)
  admin.route('/', editors)
  admin.route('/', stats)
  admin.route('/', supportAdmin)
  admin.route('/', goalAdmin)
  admin.route('/', privacy)
  admin.route('/', webhooks)
  return admin
}

export function createApp() {
  const app = createRouter()
  app.use('*', requestId(), accessLog(), securityHeaders(), async function config(c, next) {
    c.set('config', loadConfig(c.env))
    const usage = noUsage()
    c.set('d1', usage)
    c.env = { ...c.env, DB: meteredDatabase(c.env.DB, usage) }
    await next()
  })
  app.use('/v1/*', siteCors())
  app.route('/', ops)
  app.route('/', reports)
  app.route('/', corrections)
  app.route('/', support)
  app.route('/', goal)
  app.route('/', stripeWebhook)
  app.route('/', widget)
  app.route(ADMIN_PREFIX, createAdmin())
  app.route('/admin', editorsApp)
  app.route('/', forget)
  app.route('/', correctionsLog)
  documentWebhooks(app)
  serveOpenApi(app, VERSION)
  app.get('/docs', (c) =>
    c.html(renderDocs(openApiDocument(app, new URL(c.req.url).origin, VERSION))),
  )
  app.get('/docs.css', (c) =>
    c.body(DOCS_CSS, 200, {
      'Content-Type': 'text/css; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
    }),
  )
  app.notFound(notFound)
  app.onError(onError)
  return app
}
