/** What the page that erases a reader's email needs of their submission. */
import { OPENED_BY_TOKEN } from '../reports/store'

export interface ForgetSubmission {
  lang: string | null
  /** 1 while the email is stored. */
  has_email: number
}

/**
 * The submission behind a link of a reader's email, with its first token or one minted for an
 * email; `null` for an unknown id or a wrong token, alike.
 */
export function findForgetSubmission(
  db: D1Database,
  id: string,
  tokenHash: string,
): Promise<ForgetSubmission | null> {
  return db
    .prepare(
      `SELECT s.lang, s.email IS NOT NULL AS has_email FROM submissions s
       WHERE s.id = ?1 AND ${OPENED_BY_TOKEN('s')}`,
    )
    .bind(id, tokenHash)
    .first<ForgetSubmission>()
}
