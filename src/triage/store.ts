import { CLOSED_STATUSES, type ReportStatus } from '../reports/schemas'
import { REPORT_COLUMNS } from './list-store'
import type { EventRow, ReportRow, SubmissionRow } from './schemas'
import { type DuplicateFacts, type PlannedEvent, type ReportState } from './workflow'
import {
  insertCorrection,
  isCorrectionTaken,
  type CorrectionRow,
  type NewCorrection,
} from '../corrections/store'
import { firstOf, isUniqueViolation, rowsOf, sqlList } from '../http/d1'
import { ApiError } from '../http/problem'

const CLOSED = sqlList(CLOSED_STATUSES)

function readDetail(db: D1Database, id: string): D1PreparedStatement[] {
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

function detailOf(results: D1Result[]): ReportDetailRow | null {
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
function writeTransition(db: D1Database, t: Transition): D1PreparedStatement[] {
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
function isOpenQuoteTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'reports.url, reports.quote_key')
}

/** Runs a transition's batch; `null` when another write changed the report first. */
async function runTransition(
  db: D1Database,
  statements: D1PreparedStatement[],
): Promise<D1Result[] | null> {
  let results: D1Result[]
  try {
    results = await db.batch(statements)
  } catch (error) {
    if (isOpenQuoteTaken(error)) {
      throw new ApiError(
        'conflict',
        'Another open report has the same quote on this article; work on that one.',
      )
    }
    if (isCorrectionTaken(error))
      throw new ApiError('conflict', 'This report already has a published correction.')
    throw error
  }
  return results[0]?.meta.changes === 1 ? results : null
}

/** An editor's change and the report as it is afterwards; `null` when it lost a race. */
export async function applyPatch(db: D1Database, t: Transition): Promise<ReportDetailRow | null> {
  const results = await runTransition(db, [...writeTransition(db, t), ...readDetail(db, t.id)])
  return results && detailOf(results)
}

/** The report fixed and its correction published, at once; `null` when it lost a race. */
export async function publishCorrection(
  db: D1Database,
  t: Transition,
  correction: NewCorrection,
): Promise<CorrectionRow | null> {
  const results = await runTransition(db, [
    ...writeTransition(db, t),
    insertCorrection(db, correction),
  ])
  return results && firstOf<CorrectionRow>(results.at(-1))
}

/** The title most of the report's readers sent (the earliest among equals), for the editor. */
export async function mostSentTitle(db: D1Database, reportId: string): Promise<string | null> {
  const row = await db
    .prepare(
      `SELECT title FROM submissions WHERE report_id = ? AND title IS NOT NULL AND title <> ''
       GROUP BY title ORDER BY count(*) DESC, min(created_at) LIMIT 1`,
    )
    .bind(reportId)
    .first<{ title: string }>()
  return row?.title ?? null
}

/** The first comment of each of these reports, for those that have one. */
export async function firstComments(
  db: D1Database,
  reportIds: string[],
): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map()
  const { results } = await db
    .prepare(
      `SELECT report_id, comment FROM submissions s
       WHERE report_id IN (${reportIds.map(() => '?').join(', ')}) AND comment IS NOT NULL
         AND created_at = (SELECT min(created_at) FROM submissions f
                           WHERE f.report_id = s.report_id AND f.comment IS NOT NULL)`,
    )
    .bind(...reportIds)
    .all<{ report_id: string; comment: string }>()
  return new Map(results.map((row) => [row.report_id, row.comment]))
}
