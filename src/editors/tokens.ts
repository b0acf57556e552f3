/** Editors' bearer tokens: random, shown once, stored and looked up only as a SHA-256 hash. */
import { randomToken, sha256Hex } from '../http/crypto'
import type { Actor } from '../http/context'
import { findEditorByTokenHash } from './store'

/** Marks our tokens, so other strings are refused without a lookup. */
const TOKEN_PREFIX = 'rdk_'

/** A new token (256 bits) and the hash that is all we keep of it. */
export async function issueToken(): Promise<{ token: string; tokenHash: string }> {
  const token = `${TOKEN_PREFIX}${randomToken(32)}`
  return { token, tokenHash: await sha256Hex(token) }
}

/** The active editor a bearer token belongs to, found by the token's hash; `null` for none. */
export async function resolveEditorToken(db: D1Database, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const editor = await findEditorByTokenHash(db, await sha256Hex(token))
  return editor && { id: editor.id, name: editor.name, role: editor.role }
}
