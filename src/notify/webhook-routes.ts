import { createRoute, z } from '@hono/zod-openapi'
import { requireRole } from '../http/auth'
import { jsonBody, parseJson } from '../http/body'
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
import {
  WebhookEndpointCreatedSchema,
  WebhookDeliveryPageSchema,
  WebhookEndpointInputSchema,
  WebhookEndpointPageSchema,
  WebhookEndpointSchema,
} from './webhook-schemas'
import {
  createEndpoint,
  deleteEndpoint,
  findEndpoint,
  listDeliveries,
  listEndpoints,
  MAX_ENDPOINTS,
  type WebhookEndpoint,
  type WebhookDelivery,
} from './webhook-store'

/** The webhook endpoints the newsroom's tools receive events at; admins only. */
export const webhooks = createRouter()

const TAGS = ['Webhooks']

const VERIFYING =
  'Each delivery is a POST of JSON `{ "type", "timestamp", "data" }` signed as the Standard ' +
  'Webhooks specification says: `webhook-id` (the same on every retry of one message), ' +
  '`webhook-timestamp` (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256 of ' +
  '"<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the bytes the secret encodes after ' +
  '`whsec_`. Any Standard Webhooks library verifies it with the secret; reject old timestamps ' +
  'and seen ids to refuse replays. A non-2xx answer or no answer within 10 s is retried.'

const notFound = () => new ApiError('not_found', 'No webhook endpoint has this id.')

const createWebhookRoute = createRoute({
  method: 'post',
  path: '/webhooks',
  tags: TAGS,
  summary: 'Register a webhook endpoint and issue its signing secret',
  description:
    `The secret is in this answer only: store it with the receiver, it cannot be shown again ` +
    `(delete the endpoint and register it anew to get another). At most ${MAX_ENDPOINTS} ` +
    `endpoints (409 beyond). Admin only.\n\n${VERIFYING}`,
  security: BEARER_SECURITY,
  middleware: [requireRole('admin'), jsonBody(), parseJson()] as const,
  request: { body: jsonRequestBody(WebhookEndpointInputSchema) },
  responses: {
    201: {
      description: 'Registered; the secret is shown this once.',
      content: jsonContent(WebhookEndpointCreatedSchema),
    },
    ...problemResponses(400, 401, 403, 409, 413, 415),
  },
})

webhooks.openapi(createWebhookRoute, async (c) => {
  const created = await createEndpoint(c.env.DB, c.req.valid('json'), c.get('actor').name)
  if (!created) {
    throw new ApiError(
      'conflict',
      `The newsroom already has ${MAX_ENDPOINTS} webhook endpoints; delete one first.`,
    )
  }
  return c.json(created, 201)
})

/** Endpoints newest first, paged on (created_at, id). */
const ENDPOINT_PAGES = keyset(
  'webhooks:newest',
  z.tuple([z.string(), z.string()]),
  (row: WebhookEndpoint): [string, string] => [row.created_at, row.id],
)

const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/webhooks',
  tags: TAGS,
  summary: 'List webhook endpoints (never their secrets)',
  description: 'Newest first, keyset-paged. Admin only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { query: PageQuerySchema },
  responses: {
    200: { description: 'A page of endpoints.', content: jsonContent(WebhookEndpointPageSchema) },
    ...problemResponses(400, 401, 403),
  },
})

webhooks.openapi(listWebhooksRoute, async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const rows = await listEndpoints(c.env.DB, ENDPOINT_PAGES.after(cursor), limit)
  return c.json(ENDPOINT_PAGES.page(rows, limit), 200)
})

const getWebhookRoute = createRoute({
  method: 'get',
  path: '/webhooks/{id}',
  tags: TAGS,
  summary: 'Read a webhook endpoint (never its secret)',
  description: 'Admin only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: IdParamsSchema },
  responses: {
    200: { description: 'The endpoint.', content: jsonContent(WebhookEndpointSchema) },
    ...problemResponses(400, 401, 403, 404),
  },
})

webhooks.openapi(getWebhookRoute, async (c) => {
  const endpoint = await findEndpoint(c.env.DB, c.req.valid('param').id)
  if (!endpoint) throw notFound()
  return c.json(endpoint, 200)
})

const deleteWebhookRoute = createRoute({
  method: 'delete',
  path: '/webhooks/{id}',
  tags: TAGS,
  summary: 'Remove a webhook endpoint and its delivery log',
  description: 'Its delivery attempts are removed with it. Admin only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: IdParamsSchema },
  responses: {
    204: { description: 'Removed.' },
    ...problemResponses(400, 401, 403, 404),
  },
})

webhooks.openapi(deleteWebhookRoute, async (c) => {
  if (!(await deleteEndpoint(c.env.DB, c.req.valid('param').id))) throw notFound()
  return c.body(null, 204)
})

/**
 * One endpoint's attempts newest first, paged on (at, id). The endpoint is part of the list's
 * name, so a cursor from another endpoint's attempts is refused.
 */
const deliveryPages = (endpointId: string) =>
  keyset(
    `webhook-deliveries:${endpointId}:newest`,
    z.tuple([z.string(), z.string()]),
    (row: WebhookDelivery): [string, string] => [row.at, row.id],
  )

const listDeliveriesRoute = createRoute({
  method: 'get',
  path: '/webhooks/{id}/deliveries',
  tags: TAGS,
  summary: 'List the attempts to deliver to a webhook endpoint',
  description:
    'One row per attempt, newest first (by `at`), keyset-paged. `outcome` is readerdesk’s ' +
    'extension: `delivered`, `retrying` (another attempt follows) or `failed` (the last ' +
    'attempt failed). Admin only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: IdParamsSchema, query: PageQuerySchema },
  responses: {
    200: { description: 'A page of attempts.', content: jsonContent(WebhookDeliveryPageSchema) },
    ...problemResponses(400, 401, 403, 404),
  },
})

webhooks.openapi(listDeliveriesRoute, async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const { id } = c.req.valid('param')
  const pages = deliveryPages(id)
  const rows = await listDeliveries(c.env.DB, id, pages.after(cursor), limit)
  if (!rows) throw notFound()
  return c.json(pages.page(rows, limit), 200)
})
