/** The SQL of the public corrections log (`GET /corrections`): its pages and its figures. */
import type { CorrectionRow } from './store'

export type LogRow = Pick<
  CorrectionRow,
  'id' | 'url' | 'article_title' | 'kind' | 'text' | 'published_at'
>

const COLUMNS = 'id, url, article_title, kind, text, published_at'

/** Newest first, after the keyset position `after` when given (corrections_published). */
export async function correctionsLogPage(
  db: D1Database,
  after: readonly [string, string] | null,
  limit: number,
): Promise<LogRow[]> {
  const statement = after
    ? db
        .prepare(
          `SELECT ${COLUMNS} FROM corrections WHERE (published_at, id) < (?, ?)
           ORDER BY published_at DESC, id DESC LIMIT ?`,
        )
        .bind(after[0], after[1], limit)
    : db
        .prepare(`SELECT ${COLUMNS} FROM corrections ORDER BY published_at DESC, id DESC LIMIT ?`)
        .bind(limit)
  const { results } = await statement.all<LogRow>()
  return results
}

export interface LogFigures {
  /** `YYYY-MM` → corrections published that month, for the months that had any. */
  perMonth: Map<string, number>
  /** The median of published_at − the report's first_reported_at, in seconds; null when none. */
  medianSeconds: number | null
}

/**
 * The corrections published since `since` (an ISO timestamp): how many each month and the
 * median time from a report's first reader to its correction (corrections_published, then
 * each report by its key).
 */
export async function correctionsLogFigures(db: D1Database, since: string): Promise<LogFigures> {
  const [months, median] = await Promise.all([
    db
      .prepare(
        `SELECT substr(published_at, 1, 7) AS month, count(*) AS count FROM corrections
         WHERE published_at >= ? GROUP BY month`,
      )
      .bind(since)
      .all<{ month: string; count: number }>(),
    db
      .prepare(
        `WITH delays AS (
           SELECT (julianday(c.published_at) - julianday(r.first_reported_at)) * 86400.0 AS seconds
           FROM corrections c JOIN reports r ON r.id = c.report_id
           WHERE c.published_at >= ?
         ), ranked AS (
           SELECT seconds, row_number() OVER (ORDER BY seconds) AS n, count(*) OVER () AS total
           FROM delays
         )
         SELECT avg(seconds) AS median FROM ranked WHERE n IN ((total + 1) / 2, (total + 2) / 2)`,
      )
      .bind(since)
      .first<{ median: number | null }>(),
  ])
  return {
    perMonth: new Map(months.results.map((row) => [row.month, row.count])),
    medianSeconds: median?.median ?? null,
  }
}
