/** The inbox: the reports, newest first, with search, filters, sorting and paging. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import { REPORT_KINDS, REPORT_STATUSES } from '../reports/schemas'
import type { ReportRow } from '../triage/schemas'
import { Alert, Badge, Page, Select, when } from './layout'

export interface InboxFilters {
  q?: string | undefined
  status?: string | undefined
  kind?: string | undefined
  sort?: string | undefined
}

const STATUS_OPTIONS = [
  ['', 'Any but spam'],
  ...REPORT_STATUSES.map((status) => [status, status] as const),
] as const
const KIND_OPTIONS = [
  ['', 'Any kind'] as const,
  ...REPORT_KINDS.map((kind) => [kind, kind] as const),
]
const SORT_OPTIONS = [
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
  ['most_reported', 'Most readers'],
] as const

/** The article as an editor recognises it: its title, else its path. */
function articleName(report: ReportRow): string {
  if (report.title) return report.title
  const url = new URL(report.url)
  return `${url.host}${url.pathname}`
}

/** The reader's words in quotation marks, unless they bring their own. */
const quoted = (text: string) => (/^["“«„‘']/.test(text) ? text : `“${text}”`)

/** The next page's address: the same filters, and the cursor. */
function nextHref(filters: InboxFilters, cursor: string): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value)
  params.set('cursor', cursor)
  return `/admin?${params}`
}

export const Inbox: FC<{
  actor: Actor
  filters: InboxFilters
  items: ReportRow[]
  /** For reports without a quote: a comment readers sent, by report id. */
  comments: Map<string, string>
  nextCursor: string | null
  error?: string
}> = ({ actor, filters, items, comments, nextCursor, error }) => (
  <Page title="Reports" actor={actor} current="reports">
    <h1>Reports</h1>
    <Alert message={error} />
    <form class="filters" method="get" action="/admin" role="search">
      <div class="field grow">
        <label for="q">Search</label>
        <input id="q" type="search" name="q" value={filters.q ?? ''} maxlength={200} />
      </div>
      <div class="field">
        <label for="status">Status</label>
        <Select id="status" name="status" values={STATUS_OPTIONS} selected={filters.status} />
      </div>
      <div class="field">
        <label for="kind">Kind</label>
        <Select id="kind" name="kind" values={KIND_OPTIONS} selected={filters.kind} />
      </div>
      <div class="field">
        <label for="sort">Sort</label>
        <Select id="sort" name="sort" values={SORT_OPTIONS} selected={filters.sort ?? 'newest'} />
      </div>
      <div class="field">
        <button type="submit">Filter</button>
      </div>
    </form>
    {items.length === 0 ? (
      <p class="panel muted">No reports match.</p>
    ) : (
      <div class="list">
        <table>
          <thead>
            <tr>
              <th scope="col">Report</th>
              <th scope="col">Article</th>
              <th scope="col">Kind</th>
              <th scope="col" class="num">
                Readers
              </th>
              <th scope="col">Status</th>
              <th scope="col">Assignee</th>
              <th scope="col">Reported (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {items.map((report) => (
              <tr>
                <td>
                  <a class="quote clip" href={`/admin/reports/${encodeURIComponent(report.id)}`}>
                    {report.quote
                      ? quoted(report.quote)
                      : (comments.get(report.id) ?? 'A comment without a quote')}
                  </a>
                </td>
                <td>
                  <span class="clip" title={report.url}>
                    {articleName(report)}
                  </span>
                </td>
                <td>{report.kind}</td>
                <td class="num">{report.submissions}</td>
                <td>
                  <Badge value={report.status} />
                </td>
                <td class="nowrap">{report.assignee ?? <span class="muted">—</span>}</td>
                <td class="muted nowrap">{when(report.first_reported_at).replace(' UTC', '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    {nextCursor && (
      <p class="pager">
        <a class="button secondary" href={nextHref(filters, nextCursor)}>
          Next page
        </a>
      </p>
    )}
  </Page>
)
