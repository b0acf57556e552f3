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
import { EditorCreatedSchema, EditorInputSchema, EditorPageSchema } from './schemas'
import { listEditors, revokeEditor, type EditorRow } from './store'
import { createEditorAccount } from './tokens'

/** Editor accounts; admins only. */
export const editors = createRouter()

const createEditor = createRoute({
  method: 'post',
  path: '/editors',
  tags: ['Editors'],
  summary: 'Add an editor and issue their token',
  description:
    'The token is in this answer only; store it in the editor’s password manager. Admin only.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin'), jsonBody(), parseJson()] as const,
  request: {
    body: jsonRequestBody(EditorInputSchema),
  },
  responses: {
    201: {
      description: 'Added.',
      content: jsonContent(EditorCreatedSchema),
    },
    ...problemResponses(400, 401, 403, 409, 413, 415),
  },
})

editors.openapi(createEditor, async (c) => {
  const created = await createEditorAccount(c.env.DB, c.req.valid('json'), c.get('actor').name)
  return c.json(created, 201)
})

const listRoute = createRoute({
  method: 'get',
  path: '/editors',
  tags: ['Editors'],
  summary: 'List active editors (never their tokens)',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { query: PageQuerySchema },
  responses: {
    200: {
      description: 'A page of editors, oldest first.',
      content: jsonContent(EditorPageSchema),
    },
    ...problemResponses(400, 401, 403),
  },
})

/** Editors oldest first, paged on (created_at, id); the web app pages them the same way. */
export const EDITOR_PAGES = keyset(
  'editors',
  z.tuple([z.string(), z.string()]),
  (row: EditorRow): [string, string] => [row.created_at, row.id],
)

editors.openapi(listRoute, async (c) => {
  const { limit, cursor } = c.req.valid('query')
  const rows = await listEditors(c.env.DB, EDITOR_PAGES.after(cursor), limit)
  return c.json(EDITOR_PAGES.page(rows, limit), 200)
})

const revokeRoute = createRoute({
  method: 'delete',
  path: '/editors/{id}',
  tags: ['Editors'],
  summary: 'Revoke an editor’s token, with immediate effect',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  request: { params: IdParamsSchema },
  responses: {
    204: { description: 'Revoked.' },
    ...problemResponses(401, 403, 404),
  },
})

editors.openapi(revokeRoute, async (c) => {
  const revoked = await revokeEditor(
    c.env.DB,
    c.req.valid('param').id,
    c.get('actor').name,
    new Date().toISOString(),
  )
  if (!revoked) throw new ApiError('not_found', 'No active editor has this id.')
  return c.body(null, 204)
})
