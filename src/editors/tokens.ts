/** Editors' bearer tokens: random, shown once, stored and looked up only as a SHA-256 hash. */
import type { z } from 'zod'
import { newId, randomToken, sha256Hex } from '../http/crypto'
import type { Actor } from '../http/context'
import { ApiError } from '../http/problem'
import type { EditorInputSchema } from './schemas'
import { findEditorByTokenHash, insertEditor, isEditorEmailTaken, type EditorRow } from './store'

/** Marks our tokens, so other strings are refused without a lookup. */
const TOKEN_PREFIX = 'rdk_'

/** A new token (256 bits) and the hash that is all we keep of it. */
export async function issueToken(): Promise<{ token: string; tokenHash: string }> {
  const token = `${TOKEN_PREFIX}${randomToken(32)}`
  return { token, tokenHash: await sha256Hex(token) }
}

/**
 * Adds an editor with a token of their own: the row, and the token to show once. 409 when an
 * active editor already has the email.
 */
export async function createEditorAccount(
  db: D1Database,
  input: z.infer<typeof EditorInputSchema>,
  createdBy: string,
): Promise<EditorRow & { token: string }> {
  const { token, tokenHash } = await issueToken()
  try {
    const editor = await insertEditor(db, {
      id: newId('edt'),
      ...input,
      tokenHash,
      created_at: new Date().toISOString(),
      createdBy,
    })
    return { ...editor, token }
  } catch (error) {
    if (isEditorEmailTaken(error))
      throw new ApiError('conflict', 'An active editor already has this email.')
    throw error
  }
}

/** The active editor a bearer token belongs to, found by the token's hash; `null` for none. */
export async function resolveEditorToken(db: D1Database, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const editor = await findEditorByTokenHash(db, await sha256Hex(token))
  return editor && { id: editor.id, name: editor.name, role: editor.role }
}
