/**
 * The supporters' goal: readers read it from any site (`GET /v1/supporters/goal`), admins set
 * and remove it (`PUT`/`DELETE /v1/admin/goal`). Nothing caches it here: a change shows at
 * once at the origin, and browsers and edges keep the public answer a minute at most.
 */
import { createRoute } from '@hono/zod-openapi'
import { requireRole } from '../http/auth'
import { jsonBody, parseJson } from '../http/body'
import {
  BEARER_SECURITY,
  jsonContent,
  jsonRequestBody,
  PUBLIC_READ_HEADERS,
  problemResponses,
} from '../http/openapi'
import { ApiError } from '../http/problem'
import { publicRead } from '../http/public'
import { createRouter } from '../http/router'
import { assertGoalCurrency, GoalInputSchema, SupportersGoalSchema } from './goal-schemas'
import { clearGoal, publicGoal, readGoal, setGoal } from './goal-store'

/** The public read; mounted with the readers' routes. */
export const goal = createRouter()

const readRoute = createRoute({
  method: 'get',
  path: '/v1/supporters/goal',
  tags: ['Supporters'],
  summary: 'The supporters’ goal and where it stands',
  description:
    '`current` is counted as `GET /v1/supporters/stats` counts. Cacheable for a minute, readable ' +
    'from any origin; `404` when no goal is set.',
  middleware: [publicRead(60)] as const,
  responses: {
    200: {
      description: 'The goal.',
      headers: PUBLIC_READ_HEADERS,
      content: jsonContent(SupportersGoalSchema),
    },
    ...problemResponses(404),
  },
})

goal.openapi(readRoute, async (c) => {
  const found = await readGoal(c.env.DB)
  if (!found) throw new ApiError('not_found', 'No supporters’ goal is set.')
  return c.json(publicGoal(found), 200)
})

/** Setting and removing the goal; mounted under the admin API (bearer token). */
export const goalAdmin = createRouter()

const setRoute = createRoute({
  method: 'put',
  path: '/goal',
  tags: ['Supporters'],
  summary: 'Set the supporters’ goal (admin)',
  description:
    'Replaces any goal. A `monthly` goal needs a `currency` of SUPPORT_CURRENCIES; a ' +
    '`supporters` goal refuses one.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin'), jsonBody(), parseJson()] as const,
  request: { body: jsonRequestBody(GoalInputSchema) },
  responses: {
    200: {
      description: 'The goal, as `GET /v1/supporters/goal` now shows it.',
      content: jsonContent(SupportersGoalSchema),
    },
    ...problemResponses(400, 401, 403, 413, 415),
  },
})

goalAdmin.openapi(setRoute, async (c) => {
  const input = c.req.valid('json')
  assertGoalCurrency(c.get('config'), input)
  const saved = await setGoal(c.env.DB, input, new Date().toISOString(), c.get('actor').name)
  return c.json(publicGoal(saved), 200)
})

const clearRoute = createRoute({
  method: 'delete',
  path: '/goal',
  tags: ['Supporters'],
  summary: 'Remove the supporters’ goal (admin)',
  description: 'Answers `204` whether or not a goal was set.',
  security: BEARER_SECURITY,
  middleware: [requireRole('admin')] as const,
  responses: {
    204: { description: 'No goal is set now.' },
    ...problemResponses(401, 403),
  },
})

goalAdmin.openapi(clearRoute, async (c) => {
  await clearGoal(c.env.DB)
  return c.body(null, 204)
})
