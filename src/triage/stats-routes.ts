import { createRoute } from '@hono/zod-openapi'
import { BEARER_SECURITY, jsonContent, problemResponses } from '../http/openapi'
import { createRouter } from '../http/router'
import { StatsSchema } from './schemas'
import { readStats } from './stats'

export const stats = createRouter()

const statsRoute = createRoute({
  method: 'get',
  path: '/stats',
  tags: ['Editors'],
  summary: 'How the desk is doing',
  security: BEARER_SECURITY,
  responses: {
    200: {
      description: 'Counts and medians.',
      content: jsonContent(StatsSchema),
    },
    ...problemResponses(401),
  },
})

stats.openapi(statsRoute, async (c) => c.json(await readStats(c.env.DB), 200))
