import { createRoute, z } from '@hono/zod-openapi'
import { requireRole } from '../http/auth'
import { jsonBody, parseJson } from '../http/body'
import { newId } from '../http/crypto'
import {
  BEARER_SECURITY,
  IdParamsSchema,
  jsonContent,
  jsonRequestBody,
  problemResponses,
} from '../http/openapi'
import { keyset, PageQuerySchema } from '../http/paging'
import { ApiError } from '../http/problem'
import { createRouter } from '../http/router'
import { csvStream } from './csv'
import { AdminTierListSchema, AdminTierSchema, TierInputSchema, TierPatchSchema } from './schemas'
import {
  PaymentPageSchema,
  SupporterFilterSchema,
  SupporterListQuerySchema,
  SupporterPageSchema,
} from './supporter-schemas'
import {
  listPayments,
  listSupporters,
  type PaymentRow,
  type SupporterQuery,
  type SupporterRow,
} from './supporter-store'
import { insertTier, listAllTiers, updateTier } from './tier-store'

/** The newsroom's view of supporters, and tier management; mounted under the admin app. */
export const supportAdmin = createRouter()

const listTiersRoute = createRoute({
  method: 'get',
  path: '/tiers',
  tags: ['Supporters'],
  summary: 'Every tier, inactive ones too',
  security: BEARER_SECURITY,
  responses: {
    200: {
      description: 'All tiers, oldest first.',
      content: jsonContent(AdminTierListSchema),
    },
    ...problemResponses(401),
  },
})

supportAdmin.openapi(listTiersRoute, async (c) =>
  c.json({ items: await listAllTiers(c.env.DB) }, 200),
)

const createTierRoute = createRoute({
  method: 'post',
  path: '/tiers',
  tags: ['Supporters'],
  summary: 'Create a tier (admin)',
  description: 'Amounts are in the currency’s minor unit, at least 100.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin'), jsonBody(), parseJson()] as const,
  request: {
    body: jsonRequestBody(TierInputSchema),
  },
  responses: {
    201: {
      description: 'The new tier.',
      content: jsonContent(AdminTierSchema),
    },
    ...problemResponses(400, 401, 403, 413, 415),
  },
})

supportAdmin.openapi(createTierRoute, async (c) => {
  const tier = await insertTier(
    c.env.DB,
    newId('tier'),
    c.req.valid('json'),
    new Date().toISOString(),
  )
  return c.json(tier, 201)
})

const updateTierRoute = createRoute({
  method: 'patch',
  path: '/tiers/{id}',
  tags: ['Supporters'],
  summary: 'Change a tier (admin)',
  description:
    'Changes only the fields sent. `active: false` hides the tier and stops new checkouts for it; ' +
    'existing subscriptions keep the price they were bought at.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin'), jsonBody(), parseJson()] as const,
  request: {
    params: IdParamsSchema,
    body: jsonRequestBody(TierPatchSchema),
  },
  responses: {
    200: {
      description: 'The changed tier.',
      content: jsonContent(AdminTierSchema),
    },
    ...problemResponses(400, 401, 403, 404, 413, 415),
  },
})

supportAdmin.openapi(updateTierRoute, async (c) => {
  const tier = await updateTier(
    c.env.DB,
    c.req.valid('param').id,
    c.req.valid('json'),
    new Date().toISOString(),
  )
  if (!tier) throw new ApiError('not_found', 'No tier has this id.')
  return c.json(tier, 200)
})

const SUPPORTERS = keyset(
  'supporters:newest',
  z.tuple([z.string(), z.string()]),
  (row: SupporterRow): [string, string] => [row.since, row.id],
)

const listSupportersRoute = createRoute({
  method: 'get',
  path: '/supporters',
  tags: ['Supporters'],
  summary: 'List supporters (admin)',
  description: 'Newest first (by `since`), keyset-paged. `q` finds text in the email or name.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { query: SupporterListQuerySchema },
  responses: {
    200: {
      description: 'A page of supporters.',
      content: jsonContent(SupporterPageSchema),
    },
    ...problemResponses(400, 401, 403),
  },
})

supportAdmin.openapi(listSupportersRoute, async (c) => {
  const { cursor, limit, status, q } = c.req.valid('query')
  const after = SUPPORTERS.after(cursor)
  const rows = await listSupporters(c.env.DB, { statuses: status, q, after, limit })
  return c.json(SUPPORTERS.page(rows, limit), 200)
})

const CSV_COLUMNS = [
  'id',
  'email',
  'name',
  'status',
  'tier_id',
  'amount',
  'currency',
  'interval',
  'since',
  'current_period_end',
  'cancel_at',
  'canceled_at',
  'lifetime_amount',
] as const satisfies readonly (keyof SupporterRow)[]

/** Rows read per query while the CSV streams: 100 000 supporters take 20 queries. */
const CSV_PAGE = 5_000

/** Every supporter matching the filter, a page of CSV rows at a time, keyset-paged. */
async function* supporterRows(db: D1Database, filter: Omit<SupporterQuery, 'after' | 'limit'>) {
  let after: [string, string] | null = null
  for (;;) {
    const rows = await listSupporters(db, { ...filter, after, limit: CSV_PAGE })
    const page = rows.slice(0, CSV_PAGE)
    yield page.map((row) => CSV_COLUMNS.map((column) => row[column]))
    const last = page.at(-1)
    if (rows.length <= CSV_PAGE || !last) return
    after = [last.since, last.id]
  }
}

const csvRoute = createRoute({
  method: 'get',
  path: '/supporters.csv',
  tags: ['Supporters'],
  summary: 'Every supporter as CSV (admin)',
  description:
    'The rows and filters of `GET /v1/admin/supporters`, all of them, as RFC 4180 CSV (CRLF), streamed. ' +
    'Safe to open in a spreadsheet whatever separator it assumes: read with `,`, `;` or tab as the ' +
    "separator, no cell starts with =, +, -, @ (a `'` is put in front, also after a `;` or tab inside a " +
    'value).',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { query: SupporterFilterSchema },
  responses: {
    200: {
      description: 'The CSV file.',
      headers: {
        'Content-Disposition': {
          description: 'A download named supporters.csv.',
          required: true,
          schema: { type: 'string', const: 'attachment; filename="supporters.csv"' },
        },
      },
      content: { 'text/csv': { schema: z.string() } },
    },
    ...problemResponses(400, 401, 403),
  },
})

supportAdmin.openapi(csvRoute, async (c) => {
  const { status, q } = c.req.valid('query')
  const body = csvStream(CSV_COLUMNS, supporterRows(c.env.DB, { statuses: status, q }))
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': 'attachment; filename="supporters.csv"',
  })
})

const PAYMENTS = keyset(
  'payments:newest',
  z.tuple([z.string(), z.string()]),
  (row: PaymentRow): [string, string] => [row.created_at, row.id],
)

const listPaymentsRoute = createRoute({
  method: 'get',
  path: '/payments',
  tags: ['Supporters'],
  summary: 'List payments (admin)',
  description:
    'Newest first, keyset-paged: one row per subscription invoice or one-time gift. Checkouts still ' +
    'waiting for their payment are not listed.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { query: PageQuerySchema },
  responses: {
    200: {
      description: 'A page of payments.',
      content: jsonContent(PaymentPageSchema),
    },
    ...problemResponses(400, 401, 403),
  },
})

supportAdmin.openapi(listPaymentsRoute, async (c) => {
  const { cursor, limit } = c.req.valid('query')
  const rows = await listPayments(c.env.DB, PAYMENTS.after(cursor), limit)
  return c.json(PAYMENTS.page(rows, limit), 200)
})
