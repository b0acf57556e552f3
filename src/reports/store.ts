import type { Admission } from '../http/context'
import { sqlList } from '../http/d1'
import {
  OPEN_STATUSES,
  type CorrectionKind,
  type ReportCreated,
  type ReportKind,
  type ReportStatus,
} from './schemas'

const OPEN = sqlList(OPEN_STATUSES)

/** A fresh entity tag for a report; every write to a report sets one. */
export const NEW_ETAG = 'lower(hex(randomblob(12)))'

export interface NewSubmission {
  /** Used only when the submission opens a new report. */
  candidateReportId: string
  submissionId: string
  tokenHash: string
  url: string
  quote: string
  /** `null` keeps the report out of grouping (no quote, or nothing left once folded). */
  quoteKey: string | null
  contextBefore: string | null
  contextAfter: string | null
  suggestion: string | null
  comment: string | null
  kind: ReportKind
  title: string | null
  lang: string | null
  email: string | null
  ipHash: string
  spam: boolean
  at: string
  statusUrl: string
  /** The origin that answered: links in the reader's emails use it. */
  replyOrigin: string
}

/**
 * The submission's writes, for one batch: join the open report with the same article and
 * folded quote or open a new one (the partial unique index settles concurrent readers), then
 * store the reader's own submission. Spam never joins: it is outside the index.
 */
function writeSubmission(db: D1Database, s: NewSubmission): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO reports (id, url, quote, quote_key, context_before, context_after, kind, title, lang,
           status, first_reported_at, last_reported_at, updated_at, etag, closed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?11, ${NEW_ETAG},
           CASE WHEN ?10 = 'spam' THEN ?11 END)
         ON CONFLICT (url, quote_key) WHERE status IN ${OPEN}
         DO UPDATE SET submissions = submissions + 1, last_reported_at = ?11, updated_at = ?11, etag = ${NEW_ETAG}`,
      )
      .bind(
        s.candidateReportId,
        s.url,
        s.quote,
        s.quoteKey,
        s.contextBefore,
        s.contextAfter,
        s.kind,
        s.title,
        s.lang,
        s.spam ? 'spam' : 'new',
        s.at,
      ),
    db
      .prepare(
        `INSERT INTO submissions (id, report_id, token_hash, quote, context_before, context_after, suggestion,
           comment, kind, title, lang, email, ip_hash, created_at, reply_origin)
         SELECT ?1, id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?18 FROM reports
         WHERE id = ?14 OR (?15 = 0 AND url = ?16 AND quote_key = ?17 AND status IN ${OPEN})
         LIMIT 1`,
      )
      .bind(
        s.submissionId,
        s.tokenHash,
        s.quote,
        s.contextBefore,
        s.contextAfter,
        s.suggestion,
        s.comment,
        s.kind,
        s.title,
        s.lang,
        s.email,
        s.ipHash,
        s.at,
        s.candidateReportId,
        s.spam ? 1 : 0,
        s.url,
        s.quoteKey,
        s.replyOrigin,
      ),
  ]
}

/**
 * The 201 body, built by the database from what the batch just wrote, so that the answer a
 * reader gets and the one remembered for their Idempotency-Key are the same bytes. A spam
 * report shows as `new`, exactly like a real one.
 */
const CREATED_JSON = `json_object(
  'id', r.id,
  'submission_id', s.id,
  'status', CASE r.status WHEN 'spam' THEN 'new' ELSE r.status END,
  'submissions', r.submissions,
  'status_url', ?1)`

function createdResponse(
  db: D1Database,
  submissionId: string,
  statusUrl: string,
): D1PreparedStatement {
  return db
    .prepare(
      `SELECT ${CREATED_JSON} AS response
       FROM submissions s JOIN reports r ON r.id = s.report_id WHERE s.id = ?2`,
    )
    .bind(statusUrl, submissionId)
}

/** Remembers the 201 body under the Idempotency-Key; a concurrent twin fails on the key. */
function rememberCreated(
  db: D1Database,
  submissionId: string,
  statusUrl: string,
  key: { scope: string; key: string; fingerprint: string },
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, status, response, created_at)
       SELECT ?3, ?4, ?5, 201, ${CREATED_JSON}, ?6
       FROM submissions s JOIN reports r ON r.id = s.report_id WHERE s.id = ?2
       RETURNING response`,
    )
    .bind(statusUrl, submissionId, key.scope, key.key, key.fingerprint, at)
}

/**
 * Stores a reader's submission through admission, in one batch (the rate-limit hit, the
 * report upsert, the submission, the answer remembered under the Idempotency-Key), and
 * answers as the contract says.
 */
export async function submitReport(
  db: D1Database,
  submission: NewSubmission,
  admission: Admission,
): Promise<ReportCreated> {
  const { submissionId, statusUrl, at } = submission
  const answer = admission.idempotency
    ? rememberCreated(db, submissionId, statusUrl, admission.idempotency, at)
    : createdResponse(db, submissionId, statusUrl)
  const body = await admission.commit([...writeSubmission(db, submission), answer])
  // The database's JSON is ASCII and compact, so this serialises back to the remembered bytes.
  return JSON.parse(body) as ReportCreated
}

export interface SubmissionStatusRow {
  status: ReportStatus
  correction_kind: CorrectionKind | null
  correction_text: string | null
  correction_published_at: string | null
}

/**
 * SQL that holds when the token whose hash is bound as `?2` opens submission `row`: its first
 * token, or one minted for one of the reader's emails (`submission_tokens`).
 */
export const OPENED_BY_TOKEN = (row: string) =>
  `(${row}.token_hash = ?2
    OR EXISTS (SELECT 1 FROM submission_tokens t WHERE t.token_hash = ?2 AND t.submission_id = ${row}.id))`

/**
 * What a reader's private link shows; `null` for an unknown id or a wrong token. The token is
 * the first one or one minted for an email (`submission_tokens`).
 */
export function findSubmissionStatus(db: D1Database, id: string, tokenHash: string) {
  return db
    .prepare(
      `SELECT r.status, c.kind AS correction_kind, c.text AS correction_text,
         c.published_at AS correction_published_at
       FROM submissions s JOIN reports r ON r.id = s.report_id LEFT JOIN corrections c ON c.report_id = r.id
       WHERE s.id = ?1 AND ${OPENED_BY_TOKEN('s')}`,
    )
    .bind(id, tokenHash)
    .first<SubmissionStatusRow>()
}

/**
 * Erases the reader's email from their own submission, with its first token or one minted for
 * an email; `false` for an unknown id or token.
 */
export async function eraseSubmissionEmail(
  db: D1Database,
  id: string,
  tokenHash: string,
): Promise<boolean> {
  const row = await db
    .prepare(
      `UPDATE submissions SET email = NULL
       WHERE id = ?1 AND ${OPENED_BY_TOKEN('submissions')}
       RETURNING id`,
    )
    .bind(id, tokenHash)
    .first()
  return row !== null
}
