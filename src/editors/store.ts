/** SQL of editor accounts: tokens are stored as hashes, revoked at once. */
import type { z } from 'zod'
import type { Role } from '../http/context'
import type { EditorSchema } from './schemas'
import { isUniqueViolation } from '../http/d1'

export type EditorRow = z.infer<typeof EditorSchema>

const EDITOR_COLUMNS = 'id, name, email, role, created_at'

export interface NewEditor extends EditorRow {
  tokenHash: string
  createdBy: string
}

export async function insertEditor(db: D1Database, editor: NewEditor): Promise<EditorRow> {
  const row = await db
    .prepare(
      `INSERT INTO editors (id, name, email, role, token_hash, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${EDITOR_COLUMNS}`,
    )
    .bind(
      editor.id,
      editor.name,
      editor.email,
      editor.role,
      editor.tokenHash,
      editor.created_at,
      editor.createdBy,
    )
    .first<EditorRow>()
  if (!row) throw new Error('the editor insert returned no row')
  return row
}

export function isEditorEmailTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'editors_active_email', 'editors.email')
}

/** Active editors in the order they were added, keyset-paged on (created_at, id). */
export async function listEditors(
  db: D1Database,
  after: [string, string] | null,
  limit: number,
): Promise<EditorRow[]> {
  const { results } = await db
    .prepare(
      `SELECT ${EDITOR_COLUMNS} FROM editors WHERE revoked_at IS NULL AND (created_at, id) > (?, ?)
       ORDER BY created_at, id LIMIT ?`,
    )
    .bind(after?.[0] ?? '', after?.[1] ?? '', limit + 1)
    .all<EditorRow>()
  return results
}

/** Revokes at once: the next request with the token is refused. `false` if none was active. */
export async function revokeEditor(
  db: D1Database,
  id: string,
  actor: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .prepare(
      'UPDATE editors SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL',
    )
    .bind(at, actor, id)
    .run()
  return result.meta.changes === 1
}

export async function findEditorByTokenHash(db: D1Database, tokenHash: string) {
  return db
    .prepare('SELECT id, name, role FROM editors WHERE token_hash = ? AND revoked_at IS NULL')
    .bind(tokenHash)
    .first<{ id: string; name: string; role: Role }>()
}
