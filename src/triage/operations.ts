/**
 * What an editor does to reports, whoever asks: the API's handlers and the editors' web app call
 * these, so both keep the same workflow, the same ETags and the same race handling.
 */
import { z } from 'zod'
import type { CorrectionRow } from '../corrections/store'
import { newId, randomToken } from '../http/crypto'
import { keyset } from '../http/paging'
import { ApiError } from '../http/problem'
import type { Notify } from '../notify/produce'
import { listReports, listReportsPlan } from './list-store'
import type { ReportListQuery, ReportRow } from './schemas'
import {
  applyPatch,
  findReport,
  findWorkflowState,
  publishCorrection,
  type ReportDetailRow,
  type Transition,
  type WorkflowRow,
} from './store'
import { isOpen, planPatch, type ReportPatch } from './workflow'

const byFirstReport = z.tuple([z.string(), z.string()])
const firstReported = (row: ReportRow): [string, string] => [row.first_reported_at, row.id]

/** Each sort pages on its own key, and refuses the cursors of the others. */
const PAGES = {
  newest: keyset('reports:newest', byFirstReport, firstReported),
  oldest: keyset('reports:oldest', byFirstReport, firstReported),
  most_reported: keyset(
    'reports:most_reported',
    z.tuple([z.number().int(), z.string()]),
    (row: ReportRow): [number, string] => [row.submissions, row.id],
  ),
}

/** One page of the editors' report list, with the cursor of the next. */
export async function listReportPage(db: D1Database, query: ReportListQuery) {
  const pages = PAGES[query.sort]
  const plan = listReportsPlan(query, pages.after(query.cursor))
  const rows = await listReports(db, plan, Boolean(query.q))
  return pages.page(rows, query.limit)
}

export const etagOf = (etag: string) => `"${etag}"`

/**
 * Who acts, the `If-Match` they sent (absent: "whatever it is now"), and where the changes
 * they commit are announced.
 */
export interface Acting {
  actor: string
  ifMatch: string | undefined
  notify: Notify
}

/** A report as the admin list shows it, and as webhooks carry it. */
function reportItem(report: ReportDetailRow['report']): ReportRow {
  const { etag: _etag, ...item } = report
  return item
}

type Change = Transition['events'][number]

/** A change's events as the report's history records them. */
function changesOf(t: Transition) {
  return t.events.map((event: Change) => ({
    at: t.at,
    actor: t.actor,
    action: event.action,
    from: event.from,
    to: event.to,
    note: event.note,
  }))
}

/** `report.updated`: the report after the change, and the change. */
function reportUpdated(report: ReportDetailRow['report'], t: Transition) {
  return {
    type: 'report.updated' as const,
    data: { report: reportItem(report), changes: changesOf(t) },
  }
}

/** RFC 9110 If-Match: `*` or a list of strong tags; absent means "whatever it is now". */
function assertCurrent(ifMatch: string | undefined, etag: string): void {
  if (ifMatch === undefined || ifMatch.trim() === '*') return
  const tags = ifMatch.split(',').map((tag) => tag.trim())
  if (!tags.includes(etagOf(etag))) {
    throw new ApiError(
      'precondition_failed',
      'The report changed since you read it; fetch it again.',
    )
  }
}

async function loadForChange(
  db: D1Database,
  id: string,
  duplicateOf: string | null,
  ifMatch: string | undefined,
) {
  const { report, duplicates } = await findWorkflowState(db, id, duplicateOf)
  if (!report) throw new ApiError('not_found', 'No report has this id.')
  assertCurrent(ifMatch, report.etag)
  // With If-Match the write must find the very version the editor saw; without, the state.
  const etag = ifMatch === undefined ? null : report.etag
  return { report, duplicates, etag }
}

const tooBusy = () =>
  new ApiError('conflict', 'Too many editors are changing this report at once; try again.')

/**
 * Plans and commits a change against the report as read; when another write changed it first,
 * plans again on fresh state. Only a stale If-Match is answered 412 (by `loadForChange`);
 * without it, a change is never 412, and only a report changed by others on every one of many
 * tries is a 409.
 */
const MAX_ATTEMPTS = 16

async function changeReport<T>(attempt: () => Promise<T | null>): Promise<T> {
  for (let tries = 0; tries < MAX_ATTEMPTS; tries++) {
    const result = await attempt()
    if (result !== null) return result
  }
  throw tooBusy()
}

/** Moves, assigns or annotates a report; the report as it is afterwards. */
export async function patchReport(
  db: D1Database,
  id: string,
  patch: ReportPatch,
  acting: Acting,
): Promise<ReportDetailRow> {
  return changeReport(async () => {
    const { report, duplicates, etag } = await loadForChange(
      db,
      id,
      patch.duplicate_of ?? null,
      acting.ifMatch,
    )
    const plan = planPatch(report, patch, duplicates)
    if (plan.events.length === 0) return findReport(db, id)
    const transition = {
      id,
      from: report,
      etag,
      nextEtag: randomToken(12),
      ...plan,
      actor: acting.actor,
      at: new Date().toISOString(),
    }
    const detail = await applyPatch(db, transition)
    if (detail) acting.notify([reportUpdated(detail.report, transition)])
    return detail
  })
}

function assertCorrectable(report: WorkflowRow): void {
  if (report.correction_id)
    throw new ApiError('conflict', 'This report already has a published correction.')
  if (!isOpen(report.status)) {
    throw new ApiError(
      'conflict',
      `A ${report.status} report cannot be corrected; reopen it first.`,
    )
  }
}

export interface CorrectionInput {
  text: string
  kind: CorrectionRow['kind']
  article_title?: string | undefined
}

/** Publishes the report's correction and fixes the report, at once; with its new ETag. */
export async function correctReport(
  db: D1Database,
  id: string,
  input: CorrectionInput,
  acting: Acting,
): Promise<{ correction: CorrectionRow; etag: string }> {
  const { actor } = acting
  return changeReport(async () => {
    const { report, etag: seen } = await loadForChange(db, id, null, acting.ifMatch)
    assertCorrectable(report)
    const at = new Date().toISOString()
    const correctionId = newId('cor')
    const nextEtag = randomToken(12)
    const transition = {
      id,
      from: report,
      etag: seen,
      nextEtag,
      next: { ...report, status: 'fixed' as const },
      events: [{ action: 'correction' as const, from: report.status, to: 'fixed', note: null }],
      triaged: report.status === 'new',
      fixed: true,
      correctionId,
      actor,
      at,
    }
    const correction = await publishCorrection(db, transition, {
      id: correctionId,
      reportId: id,
      kind: input.kind,
      text: input.text,
      articleTitle: input.article_title ?? null,
      at,
      actor,
      reportEtag: nextEtag,
    })
    if (!correction) return null
    // The fan-out reads the fixed report, which this batch does not read back.
    acting.notify([
      {
        type: 'report.updated',
        data: { changes: changesOf(transition) },
        about: { report_id: id },
      },
      { type: 'correction.published', data: { correction, report_id: id } },
    ])
    return { correction, etag: nextEtag }
  })
}
