/** Every editor's pages: the inbox, a report and the actions on it, the figures. */
import { Hono, type Context } from 'hono'
import type { AppEnv } from '../http/context'
import { ApiError } from '../http/problem'
import { notifier } from '../notify/produce'
import {
  correctReport,
  etagOf,
  listReportPage,
  patchReport,
  type Acting,
} from '../triage/operations'
import { CorrectionInputSchema, ReportListQuerySchema, ReportPatchSchema } from '../triage/schemas'
import { readStats } from '../triage/stats'
import { weeklyActivity } from '../triage/stats-store'
import { findReport, firstComments, mostSentTitle } from '../triage/store'
import { formOf, given, parseWith } from './forms'
import { Inbox } from './inbox'
import { render } from './layout'
import { ReportPage } from './report'
import { StatsPage } from './stats-page'

export const reportRoutes = new Hono<AppEnv>()

reportRoutes.get('/', async (c) => {
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

reportRoutes.get('/reports/:id', async (c) => {
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

/** The editor acting, with the version they saw; what they change is announced. */
const acting = (c: Context<AppEnv>, seen: string | undefined): Acting => ({
  actor: c.get('actor').name,
  ifMatch: seen,
  notify: notifier(c),
})

reportRoutes.post('/reports/:id/status', (c) =>
  actOnReport(c, 'status', async (form, id) => {
    const patch = parseWith(
      ReportPatchSchema,
      given({ status: form.status, duplicate_of: form.duplicate_of?.trim() }),
    )
    if (!patch.status) throw new ApiError('validation_failed', 'Choose a status.')
    await patchReport(c.env.DB, id, patch, acting(c, ifMatch(form)))
  }),
)

reportRoutes.post('/reports/:id/assign', (c) =>
  actOnReport(c, 'assign', async (form, id) => {
    const patch = parseWith(ReportPatchSchema, { assignee: form.assignee?.trim() || null })
    await patchReport(c.env.DB, id, patch, acting(c, undefined))
  }),
)

reportRoutes.post('/reports/:id/note', (c) =>
  actOnReport(c, 'note', async (form, id) => {
    const patch = parseWith(ReportPatchSchema, { note: form.note ?? '' })
    await patchReport(c.env.DB, id, patch, acting(c, undefined))
  }),
)

reportRoutes.post('/reports/:id/correction', (c) =>
  actOnReport(c, 'correction', async (form, id) => {
    const input = parseWith(CorrectionInputSchema, {
      kind: form.kind,
      text: form.text ?? '',
      article_title: form.article_title,
    })
    await correctReport(c.env.DB, id, input, acting(c, ifMatch(form)))
  }),
)

reportRoutes.get('/stats', async (c) => {
  const [stats, weeks] = await Promise.all([
    readStats(c.env.DB),
    weeklyActivity(c.env.DB, 12, Date.now()),
  ])
  return render(c, <StatsPage actor={c.get('actor')} stats={stats} weeks={weeks} />)
})
