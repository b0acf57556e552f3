/** SQL of the editors' report figures: counts by status and kind, medians of time to act. */
import { firstOf, rowsOf } from '../http/d1'
import type { ReportKind, ReportStatus } from '../reports/schemas'

export interface StatsRow {
  by_status: { status: ReportStatus; n: number }[]
  by_kind: { kind: ReportKind; n: number }[]
  median_hours_to_triage: number | null
  median_hours_to_fix: number | null
}

/** The median of hours from first report to a milestone column, over reports that reached it. */
function medianHours(db: D1Database, column: 'triaged_at' | 'fixed_at'): D1PreparedStatement {
  return db.prepare(
    `WITH d AS (
       SELECT (julianday(${column}) - julianday(first_reported_at)) * 24 AS hours
       FROM reports WHERE ${column} IS NOT NULL
     ), n AS (SELECT count(*) AS c FROM d)
     SELECT avg(hours) AS median FROM (
       SELECT hours FROM d ORDER BY hours
       LIMIT 2 - (SELECT c FROM n) % 2 OFFSET ((SELECT c FROM n) - 1) / 2
     )`,
  )
}

export async function reportStats(db: D1Database): Promise<StatsRow> {
  const [byStatus, byKind, triage, fix] = await db.batch([
    db.prepare('SELECT status, count(*) AS n FROM reports GROUP BY status'),
    db.prepare('SELECT kind, count(*) AS n FROM reports GROUP BY kind'),
    medianHours(db, 'triaged_at'),
    medianHours(db, 'fixed_at'),
  ])
  const median = (result: D1Result | undefined) =>
    firstOf<{ median: number | null }>(result)?.median ?? null
  return {
    by_status: rowsOf<StatsRow['by_status'][number]>(byStatus),
    by_kind: rowsOf<StatsRow['by_kind'][number]>(byKind),
    median_hours_to_triage: median(triage),
    median_hours_to_fix: median(fix),
  }
}
