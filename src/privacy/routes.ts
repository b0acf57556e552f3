import { createRoute, z } from '@hono/zod-openapi'
import { requireRole } from '../http/auth'
import { jsonBody, parseJson } from '../http/body'
import { newId } from '../http/crypto'
import { BEARER_SECURITY, jsonContent, jsonRequestBody, problemResponses } from '../http/openapi'
import { createRouter } from '../http/router'
import { eraseAddress } from './store'

/** The newsroom's answer to an erasure request; mounted under the admin app. */
export const privacy = createRouter()

const ErasureInputSchema = z
  .object({
    email: z.string().trim().max(254).pipe(z.email()).openapi({
      type: 'string',
      format: 'email',
      description: 'The address to erase, matched case-insensitively.',
    }),
  })
  .openapi('ErasureInput')

const ErasureResultSchema = z
  .object({
    submissions: z.number().int().openapi({ description: 'Readers’ submissions that held it.' }),
    supporters: z
      .number()
      .int()
      .openapi({ description: 'Supporters who had it (0 or 1); they stay listed, anonymous.' }),
  })
  .openapi('ErasureResult')

const erasureRoute = createRoute({
  method: 'post',
  path: '/erasure',
  tags: ['Editors'],
  summary: 'Erase an email address everywhere (admin)',
  description:
    'Erases the address from every reader’s submission and anonymises the supporter who had it ' +
    '(listed on with `email` and `name` null; payments stay for the accounts). The audit record keeps ' +
    'who erased, when and the counts, never the address.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin'), jsonBody(), parseJson()] as const,
  request: {
    body: jsonRequestBody(ErasureInputSchema),
  },
  responses: {
    200: {
      description: 'Erased; how many rows held the address.',
      content: jsonContent(ErasureResultSchema),
    },
    ...problemResponses(400, 401, 403, 413, 415),
  },
})

privacy.openapi(erasureRoute, async (c) => {
  const counts = await eraseAddress(c.env.DB, {
    id: newId('era'),
    email: c.req.valid('json').email,
    actor: c.get('actor').name,
    at: new Date().toISOString(),
  })
  return c.json(counts, 200)
})
