/** SQL of the editors' report list: filters and sorts over indexes, keyset-paged. */
import { REPORT_STATUSES } from '../reports/schemas'
import type { ReportListQuery, ReportRow } from './schemas'
import { rowsOf } from '../http/d1'

export const REPORT_COLUMNS = `id, url, title, quote, context_before, context_after, kind, lang, status, assignee,
  submissions, first_reported_at, last_reported_at, updated_at, duplicate_of, correction_id`

const NOT_SPAM = REPORT_STATUSES.filter((status) => status !== 'spam')

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
    where.push(`id IN (SELECT s.report_id FROM submissions s
      WHERE s.rowid IN (SELECT rowid FROM submission_search WHERE submission_search MATCH ?))`)
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

/**
 * Brings the search index up to date: the submissions written since it last caught up (readers'
 * reports do not feed it as they are written; migration 0007). Run before every search, in
 * the same batch, and by the hourly job.
 */
export function catchUpSearch(db: D1Database): D1PreparedStatement[] {
  return [
    db.prepare(
      `INSERT INTO submission_search (rowid, body)
       SELECT rowid, quote || ' ' || coalesce(suggestion, '') || ' ' || coalesce(comment, '')
       FROM submissions WHERE rowid > (SELECT indexed_upto FROM search_state WHERE id = 1)`,
    ),
    db.prepare(
      `UPDATE search_state SET indexed_upto = (SELECT coalesce(max(rowid), 0) FROM submissions)
       WHERE id = 1`,
    ),
  ]
}

/** The page's rows; a text search first brings the index up to date, in the same batch. */
export async function listReports(
  db: D1Database,
  plan: ListPlan,
  search: boolean,
): Promise<ReportRow[]> {
  const list = db.prepare(plan.sql).bind(...plan.binds)
  if (!search) return (await list.all<ReportRow>()).results
  const results = await db.batch<ReportRow>([...catchUpSearch(db), list])
  return rowsOf<ReportRow>(results.at(-1))
}

/** Statements that read a report's whole detail; `detailOf` turns their results into it. */
