import { isUniqueViolation } from '../http/d1'
import type { CorrectionKind } from '../reports/schemas'

export interface CorrectionRow {
  id: string
  report_id: string
  url: string
  title: string | null
  article_title: string | null
  kind: CorrectionKind
  text: string
  published_at: string
}

const COLUMNS = 'id, report_id, url, title, article_title, kind, text, published_at'

export interface NewCorrection {
  id: string
  reportId: string
  kind: CorrectionRow['kind']
  text: string
  articleTitle: string | null
  at: string
  actor: string
  /** Written only if the report's transition to `fixed` (which sets this ETag) applied. */
  reportEtag: string
}

/** The correction, copied from its report's article; part of the report's transition batch. */
export function insertCorrection(db: D1Database, c: NewCorrection): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO corrections (id, report_id, url, title, article_title, kind, text, published_at, actor)
       SELECT ?, id, url, title, ?, ?, ?, ?, ? FROM reports WHERE id = ? AND etag = ?
       RETURNING ${COLUMNS}`,
    )
    .bind(c.id, c.articleTitle, c.kind, c.text, c.at, c.actor, c.reportId, c.reportEtag)
}

/** Whether a failed batch tried to publish a second correction for one report. */
export function isCorrectionTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'corrections.report_id')
}

export async function correctionsForArticle(db: D1Database, url: string): Promise<CorrectionRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM corrections WHERE url = ? ORDER BY published_at DESC, id DESC LIMIT 100`,
    )
    .bind(url)
    .all<CorrectionRow>()
  return results
}

export async function latestCorrections(db: D1Database, limit: number): Promise<CorrectionRow[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM corrections ORDER BY published_at DESC, id DESC LIMIT ?`)
    .bind(limit)
    .all<CorrectionRow>()
  return results
}
