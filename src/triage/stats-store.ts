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

export interface WeekRow {
  /** The Monday that starts the week, `YYYY-MM-DD` (UTC). */
  week: string
  reports: number
  corrections: number
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Reports (spam aside) and corrections per week, the last `weeks` weeks up to `now`'s. */
export async function weeklyActivity(
  db: D1Database,
  weeks: number,
  now: number,
): Promise<WeekRow[]> {
  const today = new Date(new Date(now).toISOString().slice(0, 10))
  const monday = today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY_MS
  const starts = Array.from({ length: weeks }, (_, i) =>
    new Date(monday - (weeks - 1 - i) * 7 * DAY_MS).toISOString().slice(0, 10),
  )
  const since = starts[0] ?? today.toISOString().slice(0, 10)
  const [reports, corrections] = await db.batch([
    db
      .prepare(
        `SELECT date(first_reported_at, 'weekday 0', '-6 days') AS week, count(*) AS n
         FROM reports WHERE first_reported_at >= ? AND status <> 'spam' GROUP BY week`,
      )
      .bind(since),
    db
      .prepare(
        `SELECT date(published_at, 'weekday 0', '-6 days') AS week, count(*) AS n
         FROM corrections WHERE published_at >= ? GROUP BY week`,
      )
      .bind(since),
  ])
  const counts = (result: D1Result | undefined) =>
    new Map(rowsOf<{ week: string; n: number }>(result).map((row) => [row.week, row.n]))
  const byReports = counts(reports)
  const byCorrections = counts(corrections)
  return starts.map((week) => ({
    week,
    reports: byReports.get(week) ?? 0,
    corrections: byCorrections.get(week) ?? 0,
  }))
}
