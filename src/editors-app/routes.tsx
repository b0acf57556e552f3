/**
 * The editors' web app at /admin: server-rendered pages and plain forms over the same store
 * functions, workflow and ETags as the API. Mounted by src/app.ts; not in /openapi.json, like
 * /docs.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import type { z } from 'zod'
import { EDITOR_PAGES } from '../editors/routes'
import { EditorInputSchema } from '../editors/schemas'
import { insertEditor, isEditorEmailTaken, listEditors, revokeEditor } from '../editors/store'
import { issueToken, resolveEditorToken } from '../editors/tokens'
import { actorForToken } from '../http/auth'
import type { Actor, AppEnv } from '../http/context'
import { newId } from '../http/crypto'
import { ApiError, fieldErrors, onError, PROBLEM_CODES } from '../http/problem'
import type { SupporterPageSchema, PaymentPageSchema } from '../support/supporter-schemas'
import { TierInputSchema, TierPatchSchema } from '../support/schemas'
import { insertTier, listAllTiers, updateTier } from '../support/tier-store'
import { correctReport, etagOf, listReportPage, patchReport } from '../triage/operations'
import { CorrectionInputSchema, ReportListQuerySchema, ReportPatchSchema } from '../triage/schemas'
import { readStats } from '../triage/stats'
import { weeklyActivity } from '../triage/stats-store'
import { findReport, firstComments, mostSentTitle } from '../triage/store'
import { EditorsPage, PaymentsPage, SupportersPage, TiersPage } from './admin-pages'
import { APP_CSS, APP_JS } from './assets'
import { askSupportAdmin } from './bridge'
import { Inbox } from './inbox'
import { render } from './layout'
import { ErrorPage, SignIn } from './pages'
import { ReportPage } from './report'
import { endSession, sameOriginWrites, sessionActor, startSession } from './session'
import { StatsPage } from './stats-page'

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

/** The form's text fields; files and repeated names are not part of any form here. */
async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => {
    throw new ApiError('validation_failed', 'The form could not be read.')
  })
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

/** Parses with the API's own schema; a failure is the API's 400, its fields named. */
function parseWith<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const fields = fieldErrors(result.error)
    .map((field) => `${field.path}: ${field.message}`)
    .join('; ')
  throw new ApiError('validation_failed', `Some fields are not valid (${fields}).`)
}

/** Drops empty form values, which mean "not given". */
const given = (values: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value?.trim()))

editorsApp.get('/sign-in', async (c) => {
  if (await sessionActor(c)) return c.redirect('/admin', 303)
  return render(
    c,
    <SignIn notice={c.req.query('signed_out') ? 'You are signed out.' : undefined} />,
  )
})

editorsApp.post('/sign-in', async (c) => {
  const token = (await formOf(c)).token?.trim() ?? ''
  const actor =
    token && token.length <= 200
      ? await actorForToken(c.get('config').adminToken, c.env.DB, token, resolveEditorToken)
      : null
  if (!actor) return render(c, <SignIn error="This token is not valid, or it was revoked." />, 401)
  await startSession(c, actor)
  return c.redirect('/admin', 303)
})

editorsApp.post('/sign-out', async (c) => {
  await endSession(c)
  return c.redirect('/admin/sign-in?signed_out=1', 303)
})

/** Every page below needs a session; a page without one sends the editor to sign in. */
function requireSession(): MiddlewareHandler<AppEnv> {
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

function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    if (c.get('actor').role !== 'admin')
      throw new ApiError('forbidden', 'Only admins may see this page.')
    await next()
  }
}

editorsApp.use('*', requireSession())

// ---------------------------------------------------------------------------------------------
// Reports

editorsApp.get('/', async (c) => {
  const { q, status, kind, sort, cursor } = c.req.query()
  const filters = { q, status, kind, sort }
  const query = ReportListQuerySchema.safeParse(given({ ...filters, cursor }))
  if (!query.success) {
    const error = 'These filters are not valid; change them and press Filter.'
    const page = { items: [], comments: new Map(), nextCursor: null }
    return render(
      c,
      <Inbox actor={c.get('actor')} filters={filters} {...page} error={error} />,
      400,
    )
  }
  const page = await listReportPage(c.env.DB, query.data)
  const quoteless = page.items.filter((item) => !item.quote).map((item) => item.id)
  const comments = await firstComments(c.env.DB, quoteless)
  return render(
    c,
    <Inbox
      actor={c.get('actor')}
      filters={filters}
      items={page.items}
      comments={comments}
      nextCursor={page.next_cursor}
    />,
  )
})

const DONE = {
  status: 'Status updated.',
  assign: 'Assignee saved.',
  note: 'Note added.',
  correction: 'Correction published.',
} as const

async function showReport(
  c: Context<AppEnv>,
  id: string,
  messages: { error?: string; notice?: string } = {},
  status: 200 | 400 | 409 | 412 = 200,
) {
  const [detail, articleTitle] = await Promise.all([
    findReport(c.env.DB, id),
    mostSentTitle(c.env.DB, id),
  ])
  if (!detail) throw new ApiError('not_found', 'No report has this id.')
  return render(
    c,
    <ReportPage actor={c.get('actor')} detail={detail} articleTitle={articleTitle} {...messages} />,
    status,
  )
}

editorsApp.get('/reports/:id', async (c) => {
  const done = c.req.query('done')
  const notice = done && done in DONE ? DONE[done as keyof typeof DONE] : undefined
  return showReport(c, c.req.param('id'), notice ? { notice } : {})
})

/**
 * Runs an editor's action on a report, then shows the report: after success by a redirect
 * (reloading repeats nothing), after a refusal at once, as the report now is, with the reason.
 */
async function actOnReport(
  c: Context<AppEnv>,
  done: keyof typeof DONE,
  action: (form: Record<string, string>, id: string) => Promise<unknown>,
) {
  const id = c.req.param('id') ?? ''
  try {
    await action(await formOf(c), id)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    if (error.code === 'precondition_failed') {
      const message =
        'Someone changed this report since you opened it, so nothing was changed. It is shown below as it is now; check it and try again.'
      return showReport(c, id, { error: message }, 412)
    }
    if (error.code === 'conflict') return showReport(c, id, { error: error.message }, 409)
    if (error.code === 'validation_failed') return showReport(c, id, { error: error.message }, 400)
    throw error
  }
  return c.redirect(`/admin/reports/${encodeURIComponent(id)}?done=${done}`, 303)
}

/** The ETag the form was rendered with, as If-Match: a stale page is refused. */
const ifMatch = (form: Record<string, string>) => {
  const etag = form.etag?.trim()
  if (!etag || etag.length > 64 || etag.includes('"'))
    throw new ApiError('validation_failed', 'The form lacks the report’s version; reload the page.')
  return etagOf(etag)
}

editorsApp.post('/reports/:id/status', (c) =>
  actOnReport(c, 'status', async (form, id) => {
    const patch = parseWith(
      ReportPatchSchema,
      given({ status: form.status, duplicate_of: form.duplicate_of?.trim() }),
    )
    if (!patch.status) throw new ApiError('validation_failed', 'Choose a status.')
    await patchReport(c.env.DB, id, patch, { actor: c.get('actor').name, ifMatch: ifMatch(form) })
  }),
)

editorsApp.post('/reports/:id/assign', (c) =>
  actOnReport(c, 'assign', async (form, id) => {
    const patch = parseWith(ReportPatchSchema, { assignee: form.assignee?.trim() || null })
    await patchReport(c.env.DB, id, patch, { actor: c.get('actor').name, ifMatch: undefined })
  }),
)

editorsApp.post('/reports/:id/note', (c) =>
  actOnReport(c, 'note', async (form, id) => {
    const patch = parseWith(ReportPatchSchema, { note: form.note ?? '' })
    await patchReport(c.env.DB, id, patch, { actor: c.get('actor').name, ifMatch: undefined })
  }),
)

editorsApp.post('/reports/:id/correction', (c) =>
  actOnReport(c, 'correction', async (form, id) => {
    const input = parseWith(CorrectionInputSchema, {
      kind: form.kind,
      text: form.text ?? '',
      article_title: form.article_title,
    })
    await correctReport(c.env.DB, id, input, { actor: c.get('actor').name, ifMatch: ifMatch(form) })
  }),
)

editorsApp.get('/stats', async (c) => {
  const [stats, weeks] = await Promise.all([
    readStats(c.env.DB),
    weeklyActivity(c.env.DB, 12, Date.now()),
  ])
  return render(c, <StatsPage actor={c.get('actor')} stats={stats} weeks={weeks} />)
})

// ---------------------------------------------------------------------------------------------
// Admins only

editorsApp.use('/supporters', requireAdmin())
editorsApp.use('/supporters.csv', requireAdmin())
editorsApp.use('/payments', requireAdmin())
editorsApp.use('/tiers', requireAdmin())
editorsApp.use('/tiers/*', requireAdmin())
editorsApp.use('/editors', requireAdmin())
editorsApp.use('/editors/*', requireAdmin())

/** The admin API's answer to `path` for this session's admin. */
const askApi = (c: Context<AppEnv>, path: string) =>
  askSupportAdmin(c.req.raw, c.env, c.get('actor'), path)

/** The query string of the supporters' filters that are set. */
const supporterFilters = (filters: { status?: string | undefined; q?: string | undefined }) =>
  new URLSearchParams(given(filters) as Record<string, string>)

editorsApp.get('/supporters', async (c) => {
  const { status, q, cursor } = c.req.query()
  const filters = { status, q }
  const params = supporterFilters(filters)
  if (cursor) params.set('cursor', cursor)
  const page = (await (await askApi(c, `/supporters?${params}`)).json()) as z.infer<
    typeof SupporterPageSchema
  >
  const next = page.next_cursor
    ? `/admin/supporters?${new URLSearchParams({ ...given(filters), cursor: page.next_cursor })}`
    : null
  const csv = `/admin/supporters.csv${supporterFilters(filters).size ? `?${supporterFilters(filters)}` : ''}`
  return render(
    c,
    <SupportersPage
      actor={c.get('actor')}
      filters={filters}
      items={page.items}
      next={next}
      csv={csv}
    />,
  )
})

editorsApp.get('/supporters.csv', async (c) => {
  const { status, q } = c.req.query()
  return askApi(c, `/supporters.csv?${supporterFilters({ status, q })}`)
})

editorsApp.get('/payments', async (c) => {
  const cursor = c.req.query('cursor')
  const params = new URLSearchParams(cursor ? { cursor } : {})
  const page = (await (await askApi(c, `/payments?${params}`)).json()) as z.infer<
    typeof PaymentPageSchema
  >
  const next = page.next_cursor
    ? `/admin/payments?${new URLSearchParams({ cursor: page.next_cursor })}`
    : null
  return render(c, <PaymentsPage actor={c.get('actor')} items={page.items} next={next} />)
})

async function showTiers(
  c: Context<AppEnv>,
  messages: { error?: string; notice?: string },
  status: 200 | 400 | 404 = 200,
) {
  const tiers = await listAllTiers(c.env.DB)
  return render(c, <TiersPage actor={c.get('actor')} tiers={tiers} {...messages} />, status)
}

/** A tier form's fields as the API's JSON would carry them (the amount a number). */
function tierFields(form: Record<string, string>) {
  const amount = form.amount?.trim() ?? ''
  return {
    name: form.name,
    description: form.description,
    amount: /^\d{1,9}$/.test(amount) ? Number(amount) : amount,
    currency: form.currency?.trim().toLowerCase(),
    interval: form.interval,
  }
}

/** Runs a tier change, then shows the tiers; a refused change is shown with its reason. */
async function actOnTiers(
  c: Context<AppEnv>,
  notice: string,
  action: (form: Record<string, string>) => Promise<unknown>,
) {
  try {
    await action(await formOf(c))
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.code === 'validation_failed' || error.code === 'not_found')
    )
      return showTiers(c, { error: error.message }, error.code === 'not_found' ? 404 : 400)
    throw error
  }
  return c.redirect(`/admin/tiers?done=${encodeURIComponent(notice)}`, 303)
}

editorsApp.get('/tiers', (c) => {
  const done = c.req.query('done')
  return showTiers(c, done === 'created' || done === 'saved' ? { notice: `Tier ${done}.` } : {})
})

editorsApp.post('/tiers', (c) =>
  actOnTiers(c, 'created', async (form) => {
    const input = parseWith(TierInputSchema, tierFields(form))
    await insertTier(c.env.DB, newId('tier'), input, new Date().toISOString())
  }),
)

async function changeTier(c: Context<AppEnv>, patch: z.infer<typeof TierPatchSchema>) {
  const tier = await updateTier(c.env.DB, c.req.param('id') ?? '', patch, new Date().toISOString())
  if (!tier) throw new ApiError('not_found', 'No tier has this id.')
}

editorsApp.post('/tiers/:id', (c) =>
  actOnTiers(c, 'saved', async (form) =>
    changeTier(c, parseWith(TierPatchSchema, tierFields(form))),
  ),
)

editorsApp.post('/tiers/:id/active', (c) =>
  actOnTiers(c, 'saved', async (form) =>
    changeTier(c, parseWith(TierPatchSchema, { active: form.active === 'true' })),
  ),
)

async function showEditors(
  c: Context<AppEnv>,
  extra: { created?: { name: string; token: string }; error?: string } = {},
  status: 200 | 201 | 400 | 409 = 200,
) {
  const cursor = c.req.method === 'GET' ? c.req.query('cursor') : undefined
  const rows = await listEditors(c.env.DB, EDITOR_PAGES.after(cursor), 100)
  const page = EDITOR_PAGES.page(rows, 100)
  const next = page.next_cursor
    ? `/admin/editors?${new URLSearchParams({ cursor: page.next_cursor })}`
    : null
  return render(
    c,
    <EditorsPage actor={c.get('actor')} editors={page.items} next={next} {...extra} />,
    status,
  )
}

editorsApp.get('/editors', (c) => showEditors(c))

editorsApp.post('/editors', async (c) => {
  const actor = c.get('actor')
  let input
  try {
    input = parseWith(EditorInputSchema, await formOf(c))
  } catch (error) {
    if (error instanceof ApiError) return showEditors(c, { error: error.message }, 400)
    throw error
  }
  const { token, tokenHash } = await issueToken()
  try {
    const editor = await insertEditor(c.env.DB, {
      id: newId('edt'),
      ...input,
      tokenHash,
      created_at: new Date().toISOString(),
      createdBy: actor.name,
    })
    return showEditors(c, { created: { name: editor.name, token } }, 201)
  } catch (error) {
    if (isEditorEmailTaken(error))
      return showEditors(c, { error: 'An active editor already has this email.' }, 409)
    throw error
  }
})

editorsApp.post('/editors/:id/revoke', async (c) => {
  const revoked = await revokeEditor(
    c.env.DB,
    c.req.param('id'),
    c.get('actor').name,
    new Date().toISOString(),
  )
  if (!revoked) throw new ApiError('not_found', 'No active editor has this id.')
  return c.redirect('/admin/editors', 303)
})

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
