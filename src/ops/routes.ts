import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent, problemResponses } from '../http/openapi'
import { ApiError } from '../http/problem'
import { createRouter } from '../http/router'
import { pingDatabase } from '../http/store'

export const ops = createRouter()

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Operations'],
  summary: 'Whether the Worker and its database answer',
  responses: {
    200: {
      description: 'D1 answered.',
      content: jsonContent(z.object({ ok: z.literal(true) }).openapi('Health')),
    },
    ...problemResponses(503),
  },
})

ops.openapi(health, async (c) => {
  let ok = false
  try {
    ok = await pingDatabase(c.env.DB)
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'error',
        request_id: c.get('requestId'),
        message: 'health: D1 failed',
        cause: String(error),
      }),
    )
  }
  if (!ok) throw new ApiError('internal', 'The database does not answer.', { status: 503 })
  return c.json({ ok: true as const }, 200)
})
