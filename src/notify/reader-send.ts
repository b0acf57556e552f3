/**
 * One reader's email, at most once per outcome: the row keyed by (submission, outcome) is
 * claimed before sending and marked sent after, so a queue message delivered twice sends once.
 * A claim lapses after a while, so that a consumer that died between claiming and sending is
 * retried (at least once, then); a failed send releases it for the message's next attempt.
 */
import { loadConfig, type Env } from '../env'
import { randomToken, sha256Hex } from '../http/crypto'
import type { EmailMessage } from './messages'
import { composeReaderEmail } from './reader-email'

const CLAIM_MS = 5 * 60_000

interface Recipient {
  email: string | null
  lang: string | null
  quote: string
  reply_origin: string | null
  url: string
  title: string | null
  status: string
}

function claim(db: D1Database, message: EmailMessage, now: number) {
  const at = new Date(now).toISOString()
  return db
    .prepare(
      `INSERT INTO reader_emails (submission_id, outcome, state, attempts, claimed_until, updated_at)
       VALUES (?1, ?2, 'sending', 1, ?3, ?4)
       ON CONFLICT (submission_id, outcome) DO UPDATE SET state = 'sending',
         attempts = attempts + 1, claimed_until = ?3, updated_at = ?4, error = NULL
       WHERE state = 'failed' OR (state = 'sending' AND claimed_until < ?4)
       RETURNING attempts`,
    )
    .bind(message.submission_id, message.outcome, new Date(now + CLAIM_MS).toISOString(), at)
}

function settle(
  db: D1Database,
  message: EmailMessage,
  state: 'sent' | 'failed' | 'skipped',
  details: { messageId?: string; error?: string },
) {
  return db
    .prepare(
      `UPDATE reader_emails SET state = ?3, message_id = ?4, error = ?5, claimed_until = NULL,
         updated_at = ?6
       WHERE submission_id = ?1 AND outcome = ?2`,
    )
    .bind(
      message.submission_id,
      message.outcome,
      state,
      details.messageId ?? null,
      details.error ?? null,
      new Date().toISOString(),
    )
    .run()
}

/** Why an email that was claimed is not sent, if it is not. */
function reasonToSkip(reader: Recipient | null): string | null {
  if (!reader?.email) return 'no email'
  if (reader.status === 'spam') return 'spam'
  if (!reader.reply_origin) return 'no origin to link to'
  return null
}

/**
 * Sends the reader's email unless it was sent already; `true` when nothing is left to do,
 * `false` when the send failed and the message should be retried.
 */
export async function sendReaderEmail(
  env: Env,
  message: EmailMessage,
  now = Date.now(),
): Promise<boolean> {
  const from = loadConfig(env).emailFrom
  if (!env.EMAIL || !from) return true
  const [claimed, found] = await env.DB.batch([
    claim(env.DB, message, now),
    env.DB.prepare(
      `SELECT s.email, s.lang, s.quote, s.reply_origin, r.url, r.title, r.status
       FROM submissions s JOIN reports r ON r.id = s.report_id WHERE s.id = ?`,
    ).bind(message.submission_id),
  ])
  if (!claimed?.results.length) return true
  const reader = (found?.results[0] as Recipient | undefined) ?? null
  if (message.outcome === 'rejected' && reader && reader.status !== 'rejected') {
    // Reopened before we got to it: no stale news, and a later rejection may still tell them.
    await env.DB.prepare('DELETE FROM reader_emails WHERE submission_id = ? AND outcome = ?')
      .bind(message.submission_id, message.outcome)
      .run()
    return true
  }
  const skip = reasonToSkip(reader)
  if (skip || !reader?.email || !reader.reply_origin) {
    await settle(env.DB, message, 'skipped', { error: skip ?? 'no email' })
    return true
  }
  const origin = reader.reply_origin
  const token = randomToken()
  await env.DB.prepare(
    'INSERT INTO submission_tokens (token_hash, submission_id, created_at) VALUES (?, ?, ?)',
  )
    .bind(await sha256Hex(token), message.submission_id, new Date(now).toISOString())
    .run()
  const link = (path: string) =>
    new URL(`${path}/${message.submission_id}?token=${token}`, origin).href
  const email = composeReaderEmail({
    lang: reader.lang,
    outcome: message.outcome,
    correction: message.correction,
    article: { url: reader.url, title: reader.title },
    quote: reader.quote,
    statusUrl: link('/v1/submissions'),
    forgetUrl: link('/forget'),
    viaDuplicate: message.via_duplicate,
  })
  try {
    const sent = await env.EMAIL.send({ from, to: reader.email, ...email })
    await settle(env.DB, message, 'sent', { messageId: sent.messageId })
    return true
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await settle(env.DB, message, 'failed', { error: reason.slice(0, 200) })
    console.warn(
      JSON.stringify({ level: 'warn', message: 'notify: email not sent', cause: reason }),
    )
    return false
  }
}
