/**
 * The consumer's first step: an event becomes one message per endpoint subscribed to its type
 * and one per reader to email, each then sent and retried on its own. Spam never notifies.
 */
import { loadConfig, type Env } from '../env'
import { sha256Hex } from '../http/crypto'
import { SUPPORTER_COLUMNS } from '../support/supporter-store'
import { REPORT_COLUMNS } from '../triage/list-store'
import type { EmailMessage, EventMessage, NotifyEvent, NotifyMessage } from './messages'

type Correction = NonNullable<EmailMessage['correction']>

/** The report or supporter an event is about, as the admin API shows them now. */
async function completeData(db: D1Database, message: EventMessage): Promise<NotifyEvent | null> {
  const { event, about } = message
  if (about?.report_id) {
    const report = await db
      .prepare(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = ?`)
      .bind(about.report_id)
      .first()
    return report ? { ...event, data: { ...event.data, report } } : null
  }
  if (about?.supporter_id) {
    const supporter = await db
      .prepare(`SELECT ${SUPPORTER_COLUMNS} FROM supporters WHERE id = ?`)
      .bind(about.supporter_id)
      .first()
    return supporter ? { ...event, data: { ...event.data, supporter } } : null
  }
  return event
}

const isSpam = (event: NotifyEvent) =>
  (event.data.report as { status?: string } | undefined)?.status === 'spam'

/** The webhook's `webhook-id`: the same for this event and endpoint, on every retry. */
async function messageId(eventId: string, endpointId: string): Promise<string> {
  return `msg_${(await sha256Hex(`${eventId}:${endpointId}`)).slice(0, 32)}`
}

async function webhookMessages(db: D1Database, event: NotifyEvent): Promise<NotifyMessage[]> {
  const { results } = await db
    .prepare(
      `SELECT id FROM webhook_endpoints
       WHERE EXISTS (SELECT 1 FROM json_each(webhook_endpoints.events) WHERE value = ?)`,
    )
    .bind(event.type)
    .all<{ id: string }>()
  return Promise.all(
    results.map(async ({ id }) => ({
      kind: 'webhook' as const,
      endpoint_id: id,
      message_id: await messageId(event.id, id),
      event,
    })),
  )
}

/** Submissions with an email on these reports, with the report each belongs to. */
async function readersOf(db: D1Database, sql: string, ...binds: string[]) {
  const { results } = await db
    .prepare(
      `SELECT s.id, s.report_id FROM submissions s
       WHERE s.email IS NOT NULL AND s.report_id IN (${sql})`,
    )
    .bind(...binds)
    .all<{ id: string; report_id: string }>()
  return results
}

function emailsTo(
  readers: { id: string; report_id: string }[],
  outcome: EmailMessage['outcome'],
  correction: Correction | null,
  correctedReport: string | null,
): EmailMessage[] {
  return readers.map((reader) => ({
    kind: 'email',
    submission_id: reader.id,
    outcome,
    correction,
    via_duplicate: correctedReport !== null && reader.report_id !== correctedReport,
  }))
}

interface Change {
  action: string
  to: string | null
}

/** The readers an event tells, as the contract's "Notifications" says. */
async function emailMessages(db: D1Database, event: NotifyEvent): Promise<EmailMessage[]> {
  if (event.type === 'correction.published') {
    const reportId = String(event.data.report_id)
    const correction = event.data.correction as Correction
    const readers = await readersOf(
      db,
      `SELECT ?1 UNION ALL SELECT id FROM reports WHERE duplicate_of = ?1 AND status = 'duplicate'`,
      reportId,
    )
    return emailsTo(readers, 'correction', pick(correction), reportId)
  }
  if (event.type !== 'report.updated') return []
  const report = event.data.report as { id: string; status: string; duplicate_of: string | null }
  const changes = (event.data.changes ?? []) as Change[]
  const movedTo = (status: string) =>
    report.status === status && changes.some((c) => c.action === 'status' && c.to === status)
  if (movedTo('rejected')) {
    return emailsTo(await readersOf(db, 'SELECT ?1', report.id), 'rejected', null, null)
  }
  if (movedTo('duplicate') && report.duplicate_of) {
    // Closed as a duplicate of a report already corrected: that correction is theirs too.
    const correction = await db
      .prepare('SELECT kind, text, published_at FROM corrections WHERE report_id = ?')
      .bind(report.duplicate_of)
      .first<Correction>()
    if (!correction) return []
    const readers = await readersOf(db, 'SELECT ?1', report.id)
    return emailsTo(readers, 'correction', correction, report.duplicate_of)
  }
  return []
}

const pick = (correction: Correction): Correction => ({
  kind: correction.kind,
  text: correction.text,
  published_at: correction.published_at,
})

/** Whether readers' emails can be sent at all: the EMAIL binding and EMAIL_FROM. */
export function emailConfigured(env: Env): boolean {
  return Boolean(env.EMAIL && loadConfig(env).emailFrom)
}

/** The messages an event becomes; none for spam, or for what no longer exists. */
export async function fanOut(env: Env, message: EventMessage): Promise<NotifyMessage[]> {
  const event = await completeData(env.DB, message)
  if (!event || isSpam(event)) return []
  const [webhooks, emails] = await Promise.all([
    webhookMessages(env.DB, event),
    emailConfigured(env) ? emailMessages(env.DB, event) : Promise.resolve([]),
  ])
  return [...webhooks, ...emails]
}
