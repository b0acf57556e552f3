import type { ReportKind, ReportStatus } from '../reports/schemas'
import type { ReportListQuery } from './schemas'
import {
  CLOSED_STATUSES,
  type DuplicateFacts,
  type PlannedEvent,
  type ReportState,
} from './workflow'
import { firstOf, isUniqueViolation, rowsOf } from '../http/d1'

const CLOSED = `(${CLOSED_STATUSES.map((status) => `'${status}'`).join(', ')})`

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

export interface EventRow {
  at: string
  actor: string
  action: 'status' | 'assign' | 'note' | 'correction'
  from: string | null
  to: string | null
  note: string | null
}

const REPORT_COLUMNS = `id, url, title, quote, context_before, context_after, kind, lang, status, assignee,
  submissions, first_reported_at, last_reported_at, updated_at, duplicate_of, correction_id`

const NOT_SPAM: ReportStatus[] = ['new', 'triaged', 'accepted', 'fixed', 'rejected', 'duplicate']

const ORDERS = {
  newest: { key: ['first_reported_at', 'id'], direction: 'DESC', before: '<' },
  oldest: { key: ['first_reported_at', 'id'], direction: 'ASC', before: '>' },
  most_reported: { key: ['submissions', 'id'], direction: 'DESC', before: '<' },
} as const

export interface ListPlan {
  sql: string
  binds: (string | number)[]
}

/**
 * The editors' list as SQL that an index serves whatever the filters. Article, assignee and
 * text filters are selective, so their index (or the search table) drives one query. Without
 * them, each status is read in key order from its own index range and the ranges are merged,
 * so a page costs `statuses × limit` rows however many reports there are.
 */
export function listReportsPlan(
  query: ReportListQuery,
  after: (string | number)[] | null,
): ListPlan {
  const order = ORDERS[query.sort]
  const orderBy = order.key.map((column) => `${column} ${order.direction}`).join(', ')
  const statuses = query.status ?? NOT_SPAM
  const where: string[] = []
  const binds: (string | number)[] = []
  if (query.kind) {
    where.push('kind = ?')
    binds.push(query.kind)
  }
  if (query.url) {
    where.push('url = ?')
    binds.push(query.url)
  }
  if (query.assignee) {
    where.push('assignee = ?')
    binds.push(query.assignee)
  }
  if (query.q) {
    where.push('id IN (SELECT report_id FROM report_search WHERE report_search MATCH ?)')
    binds.push(searchExpression(query.q))
  }
  if (after) {
    where.push(`(${order.key.join(', ')}) ${order.before} (?, ?)`)
    binds.push(...after)
  }
  const limit = query.limit + 1
  if (query.url || query.assignee || query.q) {
    const conditions = [`status IN (${statuses.map(() => '?').join(', ')})`, ...where]
    return {
      sql: `SELECT ${REPORT_COLUMNS} FROM reports WHERE ${conditions.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`,
      binds: [...statuses, ...binds, limit],
    }
  }
  const ranges = statuses.map(
    () =>
      `SELECT * FROM (SELECT ${REPORT_COLUMNS} FROM reports WHERE ${['status = ?', ...where].join(' AND ')}
       ORDER BY ${orderBy} LIMIT ?)`,
  )
  return {
    sql: `${unionAll(ranges)} ORDER BY ${orderBy} LIMIT ?`,
    binds: [...statuses.flatMap((status) => [status, ...binds, limit]), limit],
  }
}

/** D1 refuses a compound SELECT of more than five terms; larger unions are nested. */
const MAX_COMPOUND_TERMS = 5

function unionAll(selects: string[]): string {
  if (selects.length <= MAX_COMPOUND_TERMS) return selects.join(' UNION ALL ')
  const groups: string[] = []
  for (let i = 0; i < selects.length; i += MAX_COMPOUND_TERMS) {
    groups.push(`SELECT * FROM (${unionAll(selects.slice(i, i + MAX_COMPOUND_TERMS))})`)
  }
  return unionAll(groups)
}

/** Each word of the editor's text as a quoted FTS5 prefix term, all required. */
export function searchExpression(text: string): string {
  const words = text.match(/[\p{L}\p{N}]+/gu) ?? []
  return words.length ? words.map((word) => `"${word}"*`).join(' ') : '""'
}

export async function listReports(db: D1Database, plan: ListPlan): Promise<ReportRow[]> {
  const { results } = await db
    .prepare(plan.sql)
    .bind(...plan.binds)
    .all<ReportRow>()
  return results
}

/** Statements that read a report's whole detail; `detailOf` turns their results into it. */
export function readDetail(db: D1Database, id: string): D1PreparedStatement[] {
  return [
    db.prepare(`SELECT ${REPORT_COLUMNS}, etag FROM reports WHERE id = ?`).bind(id),
    db
      .prepare(
        `SELECT id, suggestion, comment, email, created_at, quote, kind
         FROM submissions WHERE report_id = ? ORDER BY created_at, id`,
      )
      .bind(id),
    db
      .prepare(
        `SELECT at, actor, action, from_value AS "from", to_value AS "to", note
         FROM report_events WHERE report_id = ? ORDER BY id`,
      )
      .bind(id),
  ]
}

export interface ReportDetailRow {
  report: ReportRow & { etag: string }
  submissions: SubmissionRow[]
  events: EventRow[]
}

export function detailOf(results: D1Result[]): ReportDetailRow | null {
  const [report, submissions, events] = results.slice(-3)
  const row = firstOf<ReportRow & { etag: string }>(report)
  if (!row) return null
  return {
    report: row,
    submissions: rowsOf<SubmissionRow>(submissions),
    events: rowsOf<EventRow>(events),
  }
}

export async function findReport(db: D1Database, id: string): Promise<ReportDetailRow | null> {
  return detailOf(await db.batch(readDetail(db, id)))
}

export interface WorkflowRow extends ReportState {
  etag: string
  url: string
  title: string | null
  correction_id: string | null
}

/** The report's workflow state, and what a move to `duplicate_of` must know. */
export async function findWorkflowState(
  db: D1Database,
  id: string,
  duplicateOf: string | null,
): Promise<{ report: WorkflowRow | null; duplicates: DuplicateFacts }> {
  const [report, target, original] = await db.batch([
    db
      .prepare(
        'SELECT id, status, assignee, duplicate_of, etag, url, title, correction_id FROM reports WHERE id = ?',
      )
      .bind(id),
    db.prepare('SELECT status FROM reports WHERE id = ?').bind(duplicateOf),
    db.prepare('SELECT 1 AS found FROM reports WHERE duplicate_of = ? LIMIT 1').bind(id),
  ])
  const targetStatus = firstOf<{ status: ReportStatus }>(target)?.status
  return {
    report: firstOf<WorkflowRow>(report),
    duplicates: {
      targetExists: targetStatus !== undefined,
      targetIsDuplicate: targetStatus === 'duplicate',
      isOriginal: Boolean(original?.results.length),
    },
  }
}

export interface Transition {
  id: string
  /** The state the change was planned against; the UPDATE applies only while it holds. */
  from: WorkflowRow
  /** With If-Match: the ETag the editor saw, which must still be current. */
  etag: string | null
  nextEtag: string
  next: ReportState
  events: (PlannedEvent | { action: 'correction'; from: string; to: string; note: string | null })[]
  triaged: boolean
  fixed: boolean
  correctionId?: string
  actor: string
  at: string
}

/**
 * A report's change and its events, for one batch. The UPDATE applies only while the report's
 * workflow state is the one the change was planned against (and, with If-Match, its ETag the
 * one the editor saw), so notes and readers joining never hold back an editor's change, and a
 * move to `duplicate` only while its original is no duplicate and nobody names this report as
 * theirs. The events are written only if this very UPDATE applied (they select the report by
 * the new ETag), so a lost race writes nothing.
 */
export function writeTransition(db: D1Database, t: Transition): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE reports SET status = ?1, assignee = ?2, duplicate_of = ?3, updated_at = ?4, etag = ?5,
           correction_id = coalesce(?6, correction_id),
           triaged_at = CASE WHEN ?7 THEN coalesce(triaged_at, ?4) ELSE triaged_at END,
           fixed_at = CASE WHEN ?8 THEN coalesce(fixed_at, ?4) ELSE fixed_at END,
           closed_at = CASE WHEN ?1 IN ${CLOSED} THEN coalesce(closed_at, ?4) END
         WHERE id = ?9 AND (?10 IS NULL OR etag = ?10)
           AND status = ?11 AND assignee IS ?12 AND duplicate_of IS ?13 AND correction_id IS ?14
           AND (?3 IS NULL OR ?3 IS ?13 OR (
             EXISTS (SELECT 1 FROM reports t WHERE t.id = ?3 AND t.status <> 'duplicate')
             AND NOT EXISTS (SELECT 1 FROM reports o WHERE o.duplicate_of = ?9)))`,
      )
      .bind(
        t.next.status,
        t.next.assignee,
        t.next.duplicate_of,
        t.at,
        t.nextEtag,
        t.correctionId ?? null,
        t.triaged ? 1 : 0,
        t.fixed ? 1 : 0,
        t.id,
        t.etag,
        t.from.status,
        t.from.assignee,
        t.from.duplicate_of,
        t.from.correction_id,
      ),
    ...t.events.map((event) =>
      db
        .prepare(
          `INSERT INTO report_events (report_id, at, actor, action, from_value, to_value, note)
           SELECT id, ?, ?, ?, ?, ?, ? FROM reports WHERE id = ? AND etag = ?`,
        )
        .bind(t.at, t.actor, event.action, event.from, event.to, event.note, t.id, t.nextEtag),
    ),
  ]
}

/** Whether a failed batch tried to reopen a report while another is open for the same quote. */
export function isOpenQuoteTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'reports.url, reports.quote_key')
}

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
