/** SQL of the web app's sessions: stored as the hash of their id, ended by revocation at once. */
import type { Role } from '../http/context'

export interface NewSession {
  idHash: string
  /** The editor account; `null` for a session opened with ADMIN_TOKEN. */
  editorId: string | null
  /** For ADMIN_TOKEN sessions, the hash of that token, so that rotating it ends them. */
  adminTokenHash: string | null
  createdAt: string
  expiresAt: string
}

export async function insertSession(db: D1Database, session: NewSession): Promise<void> {
  await db
    .prepare(
      `INSERT INTO editor_sessions (id_hash, editor_id, admin_token_hash, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?)`,
    )
    .bind(
      session.idHash,
      session.editorId,
      session.adminTokenHash,
      session.createdAt,
      session.expiresAt,
    )
    .run()
}

export interface SessionRow {
  editor_id: string | null
  admin_token_hash: string | null
  /** The account's current name and role; `null` once the account is revoked. */
  name: string | null
  role: Role | null
}

/** The unexpired session with this id hash, joined to its account as it is now. */
export async function findSession(
  db: D1Database,
  idHash: string,
  now: string,
): Promise<SessionRow | null> {
  return db
    .prepare(
      `SELECT s.editor_id, s.admin_token_hash, e.name, e.role FROM editor_sessions s
       LEFT JOIN editors e ON e.id = s.editor_id AND e.revoked_at IS NULL
       WHERE s.id_hash = ? AND s.expires_at > ?`,
    )
    .bind(idHash, now)
    .first<SessionRow>()
}

export async function deleteSession(db: D1Database, idHash: string): Promise<void> {
  await db.prepare('DELETE FROM editor_sessions WHERE id_hash = ?').bind(idHash).run()
}

/** Deletes the sessions that have expired; run by the hourly job. */
export async function purgeExpiredSessions(db: D1Database, now: number): Promise<void> {
  await db
    .prepare('DELETE FROM editor_sessions WHERE expires_at <= ?')
    .bind(new Date(now).toISOString())
    .run()
}
