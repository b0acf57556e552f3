import { createRoute } from '@hono/zod-openapi'
import { BEARER_SECURITY, jsonContent, problemResponses } from '../http/openapi'
import { createRouter } from '../http/router'
import { REPORT_KINDS, REPORT_STATUSES } from '../reports/schemas'
import { StatsSchema } from './schemas'
import { supporterTotals } from '../support/supporter-store'
import { reportStats } from './stats-store'

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

const zeroed = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>

const round = (hours: number | null) => (hours === null ? null : Math.round(hours * 100) / 100)

stats.openapi(statsRoute, async (c) => {
  const [row, supporters] = await Promise.all([reportStats(c.env.DB), supporterTotals(c.env.DB)])
  const byStatus = zeroed(REPORT_STATUSES)
  for (const { status, n } of row.by_status) byStatus[status] = n
  const byKind = zeroed(REPORT_KINDS)
  for (const { kind, n } of row.by_kind) byKind[kind] = n
  return c.json(
    {
      reports: { by_status: byStatus, by_kind: byKind },
      median_hours_to_triage: round(row.median_hours_to_triage),
      median_hours_to_fix: round(row.median_hours_to_fix),
      supporters,
    },
    200,
  )
})
