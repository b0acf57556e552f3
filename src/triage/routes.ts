import { createRoute, z } from '@hono/zod-openapi'
import { BEARER_SECURITY, problemResponses } from '../http/openapi'
import { decodeCursor, encodeCursor, toPage } from '../http/paging'
import { ApiError } from '../http/problem'
import { createRouter } from '../http/router'
import { ReportDetailSchema, ReportListQuerySchema, ReportPageSchema, ReportParamsSchema } from './schemas'
import { findReport, listReports } from './store'

/** The editors' view of reports; mounted under the authenticated admin app. */
export const triage = createRouter()

const listRoute = createRoute({
  method: 'get',
  path: '/reports',
  tags: ['Editors'],
  summary: 'List reports',
  description: 'Newest first, keyset-paged: each report appears once while new ones arrive.',
  security: BEARER_SECURITY,
  request: { query: ReportListQuerySchema },
  responses: {
    200: { description: 'A page of reports.', content: { 'application/json': { schema: ReportPageSchema } } },
    ...problemResponses(400, 401),
  },
})

const NEWEST = 'reports:newest'
const NewestKey = z.tuple([z.string(), z.string()])

triage.openapi(listRoute, async (c) => {
  const query = c.req.valid('query')
  const after = query.cursor ? (decodeCursor(NEWEST, query.cursor, NewestKey)) : null
  const rows = await listReports(c.env.DB, { statuses: query.status, after, limit: query.limit })
  const page = toPage(rows, query.limit, (row) => row, (row) => encodeCursor(NEWEST, [row.first_reported_at, row.id]))
  return c.json(page, 200)
})

const detailRoute = createRoute({
  method: 'get',
  path: '/reports/{id}',
  tags: ['Editors'],
  summary: 'One report with every reader’s submission',
  security: BEARER_SECURITY,
  request: { params: ReportParamsSchema },
  responses: {
    200: { description: 'The report.', content: { 'application/json': { schema: ReportDetailSchema } } },
    ...problemResponses(401, 404),
  },
})

triage.openapi(detailRoute, async (c) => {
  const found = await findReport(c.env.DB, c.req.valid('param').id)
  if (!found) throw new ApiError('not_found', 'No report has this id.')
  return c.json({ ...found.report, submission_list: found.submissions }, 200)
})
