/** The desk's figures, as the API's /v1/admin/stats and the web app's stats page show them. */
import { REPORT_KINDS, REPORT_STATUSES } from '../reports/schemas'
import { supporterTotals } from '../support/supporter-store'
import { reportStats } from './stats-store'

const zeroed = <K extends string>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>

const round = (hours: number | null) => (hours === null ? null : Math.round(hours * 100) / 100)

export async function readStats(db: D1Database) {
  const [row, supporters] = await Promise.all([reportStats(db), supporterTotals(db)])
  const byStatus = zeroed(REPORT_STATUSES)
  for (const { status, n } of row.by_status) byStatus[status] = n
  const byKind = zeroed(REPORT_KINDS)
  for (const { kind, n } of row.by_kind) byKind[kind] = n
  return {
    reports: { by_status: byStatus, by_kind: byKind },
    median_hours_to_triage: round(row.median_hours_to_triage),
    median_hours_to_fix: round(row.median_hours_to_fix),
    supporters,
  }
}

export type Stats = Awaited<ReturnType<typeof readStats>>
