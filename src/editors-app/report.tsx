/** A report's page: the quote in its context, every reader's submission, the events, the controls. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import { CorrectionKindSchema, REPORT_STATUSES } from '../reports/schemas'
import type { ReportDetailRow } from '../triage/store'
import { canMove, isOpen } from '../triage/workflow'
import { Alert, Badge, Notice, Page, Select, when } from './layout'

export interface ReportPageProps {
  actor: Actor
  detail: ReportDetailRow
  /** The title most readers sent, offered for the correction. */
  articleTitle: string | null
  error?: string | undefined
  notice?: string | undefined
}

const EVENT_WORDS = {
  status: 'changed the status',
  assign: 'assigned',
  note: 'noted',
  correction: 'published the correction',
} as const

const Submission: FC<{ submission: ReportDetailRow['submissions'][number]; n: number }> = ({
  submission,
  n,
}) => (
  <tr>
    <td class="num">{n}</td>
    <td>{submission.suggestion ?? <span class="muted">—</span>}</td>
    <td>{submission.comment ?? <span class="muted">—</span>}</td>
    <td>{submission.email ?? <span class="muted">—</span>}</td>
    <td>{submission.kind}</td>
    <td class="muted">{when(submission.created_at)}</td>
  </tr>
)

export const ReportPage: FC<ReportPageProps> = ({ actor, detail, articleTitle, error, notice }) => {
  const { report, submissions, events } = detail
  const id = encodeURIComponent(report.id)
  const moves = REPORT_STATUSES.filter((status) => canMove(report.status, status)).map(
    (status) => [status, status === report.status ? `${status} (now)` : status] as const,
  )
  const correctable = isOpen(report.status) && !report.correction_id
  return (
    <Page title={`Report: ${report.quote || 'comment'}`} actor={actor} current="reports">
      <p class="small">
        <a href="/admin">← Reports</a>
      </p>
      <h1>
        Report <code>{report.id}</code>
      </h1>
      <Alert message={error} />
      <Notice message={notice} />
      <div class="split">
        <div>
          <section class="panel">
            <h2>What readers selected</h2>
            <blockquote>
              {report.context_before && <span class="muted">{report.context_before}</span>}
              <mark>{report.quote || '(no quote)'}</mark>
              {report.context_after && <span class="muted">{report.context_after}</span>}
            </blockquote>
            <dl class="facts">
              <dt>Article</dt>
              <dd>
                <a href={report.url} rel="noreferrer">
                  {report.title ?? report.url}
                </a>
              </dd>
              <dt>Status</dt>
              <dd>
                <Badge value={report.status} />
                {report.duplicate_of && (
                  <>
                    {' '}
                    of{' '}
                    <a href={`/admin/reports/${encodeURIComponent(report.duplicate_of)}`}>
                      {report.duplicate_of}
                    </a>
                  </>
                )}
              </dd>
              <dt>Kind</dt>
              <dd>{report.kind}</dd>
              <dt>Readers</dt>
              <dd>{report.submissions}</dd>
              <dt>Assignee</dt>
              <dd>{report.assignee ?? '—'}</dd>
              <dt>First reported</dt>
              <dd>{when(report.first_reported_at)}</dd>
              {report.correction_id && (
                <>
                  <dt>Correction</dt>
                  <dd>
                    published (
                    <a href={`/v1/corrections?url=${encodeURIComponent(report.url)}`}>
                      as readers see it
                    </a>
                    )
                  </dd>
                </>
              )}
            </dl>
          </section>
          <section class="panel">
            <h2>Submissions ({submissions.length})</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    #
                  </th>
                  <th scope="col">Suggestion</th>
                  <th scope="col">Comment</th>
                  <th scope="col">Email</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Sent</th>
                </tr>
              </thead>
              <tbody>
                {submissions.map((submission, index) => (
                  <Submission submission={submission} n={index + 1} />
                ))}
              </tbody>
            </table>
          </section>
          <section class="panel">
            <h2>Events</h2>
            {events.length === 0 ? (
              <p class="muted">Nothing has happened to this report yet.</p>
            ) : (
              <ol class="events">
                {events.map((event) => (
                  <li>
                    <span class="muted small">{when(event.at)}</span> <b>{event.actor}</b>{' '}
                    {EVENT_WORDS[event.action]}
                    {event.from !== null || event.to !== null
                      ? `: ${event.from ?? 'nobody'} → ${event.to ?? 'nobody'}`
                      : ''}
                    {event.note && <div>“{event.note}”</div>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
        <div>
          <section class="panel">
            <h2>Workflow</h2>
            <form method="post" action={`/admin/reports/${id}/status`}>
              <input type="hidden" name="etag" value={report.etag} />
              <div class="field">
                <label for="status">Status</label>
                <Select id="status" name="status" values={moves} selected={report.status} />
              </div>
              <div class="field">
                <label for="duplicate_of">Duplicate of</label>
                <input
                  id="duplicate_of"
                  type="text"
                  name="duplicate_of"
                  maxlength={64}
                  placeholder="rep_… (with the duplicate status)"
                />
              </div>
              <button type="submit">Update status</button>
            </form>
          </section>
          <section class="panel">
            <h2>Assignee</h2>
            <form method="post" action={`/admin/reports/${id}/assign`} class="row">
              <div class="field">
                <label for="assignee">Assignee</label>
                <input
                  id="assignee"
                  type="text"
                  name="assignee"
                  maxlength={100}
                  value={report.assignee ?? ''}
                />
              </div>
              <button type="submit">Assign</button>
            </form>
          </section>
          <section class="panel">
            <h2>Note</h2>
            <form method="post" action={`/admin/reports/${id}/note`}>
              <div class="field">
                <label for="note">Note</label>
                <textarea id="note" name="note" maxlength={2000} required></textarea>
              </div>
              <button type="submit">Add note</button>
            </form>
          </section>
          <section class="panel">
            <h2>Correction</h2>
            {correctable ? (
              <form method="post" action={`/admin/reports/${id}/correction`}>
                <input type="hidden" name="etag" value={report.etag} />
                <div class="field">
                  <label for="correction-kind">Kind</label>
                  <Select
                    id="correction-kind"
                    name="kind"
                    values={CorrectionKindSchema.options.map((kind) => [kind, kind] as const)}
                    selected="correction"
                  />
                </div>
                <div class="field">
                  <label for="correction-text">Correction text</label>
                  <textarea id="correction-text" name="text" maxlength={2000} required></textarea>
                </div>
                <div class="field">
                  <label for="article-title">Article title</label>
                  <input
                    id="article-title"
                    type="text"
                    name="article_title"
                    maxlength={300}
                    value={articleTitle ?? ''}
                  />
                </div>
                <button type="submit">Publish correction</button>
              </form>
            ) : (
              <p class="muted">
                {report.correction_id
                  ? 'This report’s correction is published; it is never withdrawn.'
                  : `A ${report.status} report cannot be corrected; reopen it to triaged first.`}
              </p>
            )}
          </section>
        </div>
      </div>
    </Page>
  )
}
