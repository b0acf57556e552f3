import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { etag } from 'hono/etag'
import { PublishedCorrectionSchema } from '../corrections/schemas'
import { jsonBody, parseJson } from '../http/body'
import { newId, randomToken } from '../http/crypto'
import {
  BEARER_SECURITY,
  ETAG_HEADER,
  IdParamsSchema,
  jsonContent,
  jsonRequestBody,
  problemResponses,
} from '../http/openapi'
import { keyset } from '../http/paging'
import { ApiError } from '../http/problem'
import type { AppEnv } from '../http/context'
import { createRouter } from '../http/router'
import {
  CorrectionInputSchema,
  IfMatchHeadersSchema,
  ReportDetailSchema,
  ReportListQuerySchema,
  ReportPageSchema,
  ReportPatchSchema,
  type ReportRow,
} from './schemas'
import {
  applyPatch,
  findReport,
  findWorkflowState,
  publishCorrection,
  type ReportDetailRow,
  type WorkflowRow,
} from './store'
import { listReports, listReportsPlan } from './list-store'
import { isOpen, planPatch } from './workflow'

/** The editors' view of reports; mounted under the authenticated admin app. */
export const triage = createRouter()

const byFirstReport = z.tuple([z.string(), z.string()])
const firstReported = (row: ReportRow): [string, string] => [row.first_reported_at, row.id]

/** Each sort pages on its own key, and refuses the cursors of the others. */
const PAGES = {
  newest: keyset('reports:newest', byFirstReport, firstReported),
  oldest: keyset('reports:oldest', byFirstReport, firstReported),
  most_reported: keyset(
    'reports:most_reported',
    z.tuple([z.number().int(), z.string()]),
    (row: ReportRow): [number, string] => [row.submissions, row.id],
  ),
}

const listRoute = createRoute({
  method: 'get',
  path: '/reports',
  tags: ['Editors'],
  summary: 'List reports',
  description:
    'Filters combine; without `status` every status but `spam` is listed. Keyset-paged: each ' +
    'report appears once while new ones arrive. Any editor.',
  security: BEARER_SECURITY,
  request: { query: ReportListQuerySchema },
  responses: {
    200: {
      description: 'A page of reports.',
      content: jsonContent(ReportPageSchema),
    },
    ...problemResponses(400, 401),
  },
})

triage.openapi(listRoute, async (c) => {
  const query = c.req.valid('query')
  const pages = PAGES[query.sort]
  const plan = listReportsPlan(query, pages.after(query.cursor))
  const rows = await listReports(c.env.DB, plan, Boolean(query.q))
  return c.json(pages.page(rows, query.limit), 200)
})

const etagOf = (etag: string) => `"${etag}"`

/** RFC 9110 If-Match: `*` or a list of strong tags; absent means "whatever it is now". */
function assertCurrent(c: Context<AppEnv>, etag: string): void {
  const header = c.req.header('if-match')
  if (header === undefined || header.trim() === '*') return
  const tags = header.split(',').map((tag) => tag.trim())
  if (!tags.includes(etagOf(etag))) {
    throw new ApiError(
      'precondition_failed',
      'The report changed since you read it; fetch it again.',
    )
  }
}

function detailBody(detail: ReportDetailRow) {
  const { etag: _etag, ...report } = detail.report
  return { ...report, submission_list: detail.submissions, events: detail.events }
}

const detailRoute = createRoute({
  method: 'get',
  path: '/reports/{id}',
  tags: ['Editors'],
  summary: 'One report with every reader’s submission and its history',
  description: 'Sends an `ETag` to use as `If-Match` when changing the report.',
  security: BEARER_SECURITY,
  // Hono's etag() answers a current If-None-Match with 304, keeping the report's own ETag.
  middleware: [etag()] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: {
      description: 'The report.',
      headers: ETAG_HEADER,
      content: jsonContent(ReportDetailSchema),
    },
    304: { description: 'Unchanged since the `If-None-Match` ETag.', headers: ETAG_HEADER },
    ...problemResponses(401, 404),
  },
})

triage.openapi(detailRoute, async (c) => {
  const detail = await findReport(c.env.DB, c.req.valid('param').id)
  if (!detail) throw new ApiError('not_found', 'No report has this id.')
  c.header('ETag', etagOf(detail.report.etag))
  return c.json(detailBody(detail), 200)
})

async function loadForChange(c: Context<AppEnv>, id: string, duplicateOf: string | null) {
  const { report, duplicates } = await findWorkflowState(c.env.DB, id, duplicateOf)
  if (!report) throw new ApiError('not_found', 'No report has this id.')
  assertCurrent(c, report.etag)
  // With If-Match the write must find the very version the editor saw; without, the state.
  const etag = c.req.header('if-match') === undefined ? null : report.etag
  return { report, duplicates, etag }
}

const tooBusy = () =>
  new ApiError('conflict', 'Too many editors are changing this report at once; try again.')

const patchRoute = createRoute({
  method: 'patch',
  path: '/reports/{id}',
  tags: ['Editors'],
  summary: 'Move, assign or annotate a report',
  description:
    'Workflow: new → triaged → accepted → fixed; any open status → rejected, duplicate (with ' +
    '`duplicate_of`, another report) or spam; a closed report can be reopened to triaged. Other ' +
    'moves: 409. Each change is recorded as an event with the acting editor. With a stale ' +
    '`If-Match`: 412.',
  security: BEARER_SECURITY,
  middleware: [jsonBody(), parseJson()] as const,
  request: {
    params: IdParamsSchema,
    headers: IfMatchHeadersSchema,
    body: jsonRequestBody(ReportPatchSchema),
  },
  responses: {
    200: {
      description: 'The report after the change, with its new ETag.',
      headers: ETAG_HEADER,
      content: jsonContent(ReportDetailSchema),
    },
    ...problemResponses(400, 401, 404, 409, 412, 413, 415),
  },
})

/**
 * Plans and commits a change against the report as read; when another write changed it first,
 * plans again on fresh state. Only a stale If-Match is answered 412 (by `loadForChange`);
 * without it, a change is never 412, and only a report changed by others on every one of many
 * tries is a 409.
 */
const MAX_ATTEMPTS = 16

async function changeReport<T>(attempt: () => Promise<T | null>): Promise<T> {
  for (let tries = 0; tries < MAX_ATTEMPTS; tries++) {
    const result = await attempt()
    if (result !== null) return result
  }
  throw tooBusy()
}

triage.openapi(patchRoute, async (c) => {
  const { id } = c.req.valid('param')
  const patch = c.req.valid('json')
  const db = c.env.DB
  const detail = await changeReport(async () => {
    const { report, duplicates, etag } = await loadForChange(c, id, patch.duplicate_of ?? null)
    const plan = planPatch(report, patch, duplicates)
    if (plan.events.length === 0) return findReport(db, id)
    const transition = {
      id,
      from: report,
      etag,
      nextEtag: randomToken(12),
      ...plan,
      actor: c.get('actor').name,
      at: new Date().toISOString(),
    }
    return applyPatch(db, transition)
  })
  c.header('ETag', etagOf(detail.report.etag))
  return c.json(detailBody(detail), 200)
})

const correctionRoute = createRoute({
  method: 'post',
  path: '/reports/{id}/correction',
  tags: ['Editors'],
  summary: 'Publish the correction for a report',
  description:
    'Publishes a correction, clarification or update for the report’s article and moves the ' +
    'report, from any open status, to `fixed`, in one atomic batch. At most one per report ' +
    '(409 for a second); published corrections are never withdrawn.',
  security: BEARER_SECURITY,
  middleware: [jsonBody(), parseJson()] as const,
  request: {
    params: IdParamsSchema,
    headers: IfMatchHeadersSchema,
    body: jsonRequestBody(CorrectionInputSchema),
  },
  responses: {
    201: {
      description: 'Published; the ETag is the report’s new version.',
      headers: ETAG_HEADER,
      content: jsonContent(PublishedCorrectionSchema),
    },
    ...problemResponses(400, 401, 404, 409, 412, 413, 415),
  },
})

function assertCorrectable(report: WorkflowRow): void {
  if (report.correction_id)
    throw new ApiError('conflict', 'This report already has a published correction.')
  if (!isOpen(report.status)) {
    throw new ApiError(
      'conflict',
      `A ${report.status} report cannot be corrected; reopen it first.`,
    )
  }
}

triage.openapi(correctionRoute, async (c) => {
  const { id } = c.req.valid('param')
  const input = c.req.valid('json')
  const db = c.env.DB
  const actor = c.get('actor').name
  const { correction, etag } = await changeReport(async () => {
    const { report, etag: seen } = await loadForChange(c, id, null)
    assertCorrectable(report)
    const at = new Date().toISOString()
    const correctionId = newId('cor')
    const nextEtag = randomToken(12)
    const transition = {
      id,
      from: report,
      etag: seen,
      nextEtag,
      next: { ...report, status: 'fixed' as const },
      events: [{ action: 'correction' as const, from: report.status, to: 'fixed', note: null }],
      triaged: report.status === 'new',
      fixed: true,
      correctionId,
      actor,
      at,
    }
    const correction = await publishCorrection(db, transition, {
      id: correctionId,
      reportId: id,
      kind: input.kind,
      text: input.text,
      articleTitle: input.article_title ?? null,
      at,
      actor,
      reportEtag: nextEtag,
    })
    return correction && { correction, etag: nextEtag }
  })
  c.header('ETag', etagOf(etag))
  return c.json(correction, 201)
})
