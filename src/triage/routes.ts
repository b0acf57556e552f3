import { createRoute } from '@hono/zod-openapi'
import { etag } from 'hono/etag'
import { PublishedCorrectionSchema } from '../corrections/schemas'
import { jsonBody, parseJson } from '../http/body'
import {
  BEARER_SECURITY,
  ETAG_HEADER,
  IdParamsSchema,
  jsonContent,
  jsonRequestBody,
  problemResponses,
} from '../http/openapi'
import { ApiError } from '../http/problem'
import { createRouter } from '../http/router'
import {
  CorrectionInputSchema,
  IfMatchHeadersSchema,
  ReportDetailSchema,
  ReportListQuerySchema,
  ReportPageSchema,
  ReportPatchSchema,
} from './schemas'
import { findReport, type ReportDetailRow } from './store'
import { notifier } from '../notify/produce'
import { correctReport, etagOf, listReportPage, patchReport } from './operations'

/** The editors' view of reports; mounted under the authenticated admin app. */
export const triage = createRouter()

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
  return c.json(await listReportPage(c.env.DB, c.req.valid('query')), 200)
})

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

triage.openapi(patchRoute, async (c) => {
  const detail = await patchReport(c.env.DB, c.req.valid('param').id, c.req.valid('json'), {
    actor: c.get('actor').name,
    ifMatch: c.req.header('if-match'),
    notify: notifier(c),
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

triage.openapi(correctionRoute, async (c) => {
  const { correction, etag } = await correctReport(
    c.env.DB,
    c.req.valid('param').id,
    c.req.valid('json'),
    { actor: c.get('actor').name, ifMatch: c.req.header('if-match'), notify: notifier(c) },
  )
  c.header('ETag', etagOf(etag))
  return c.json(correction, 201)
})
