import type { ReportKind, ReportStatus } from '../reports/schemas'

export interface ReportRow {
  id: string
  url: string
  title: string | null
  quote: string
  context_before: string | null
  context_after: string | null
  kind: ReportKind
  lang: string | null
  status: ReportStatus
  assignee: string | null
  submissions: number
  first_reported_at: string
  last_reported_at: string
  updated_at: string
  duplicate_of: string | null
  correction_id: string | null
}

export interface SubmissionRow {
  id: string
  suggestion: string | null
  comment: string | null
  email: string | null
  created_at: string
  quote: string
  kind: ReportKind
}

const REPORT_COLUMNS = `id, url, title, quote, context_before, context_after, kind, lang, status, assignee,
  submissions, first_reported_at, last_reported_at, updated_at, duplicate_of, correction_id`

export interface ReportListQuery {
  statuses: ReportStatus[] | undefined
  /** The last row of the previous page: (first_reported_at, id). */
  after: [string, string] | null
  limit: number
}

/** Newest first, keyset-paged on (first_reported_at, id), which reports_*first_reported index. */
export async function listReports(db: D1Database, query: ReportListQuery): Promise<ReportRow[]> {
  const where: string[] = []
  const binds: (string | number)[] = []
  if (query.statuses) {
    where.push(`status IN (${query.statuses.map(() => '?').join(', ')})`)
    binds.push(...query.statuses)
  } else {
    where.push("status <> 'spam'")
  }
  if (query.after) {
    where.push('(first_reported_at, id) < (?, ?)')
    binds.push(...query.after)
  }
  const { results } = await db
    .prepare(
      `SELECT ${REPORT_COLUMNS} FROM reports WHERE ${where.join(' AND ')}
       ORDER BY first_reported_at DESC, id DESC LIMIT ?`,
    )
    .bind(...binds, query.limit + 1)
    .all<ReportRow>()
  return results
}

export async function findReport(db: D1Database, id: string) {
  const [report, submissions] = await db.batch([
    db.prepare(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = ?`).bind(id),
    db
      .prepare(
        `SELECT id, suggestion, comment, email, created_at, quote, kind
         FROM submissions WHERE report_id = ? ORDER BY created_at, id`,
      )
      .bind(id),
  ])
  const row = report?.results[0] as ReportRow | undefined
  return row ? { report: row, submissions: (submissions?.results ?? []) as SubmissionRow[] } : null
}
