/** SQL of readers' and supporters' personal data: erasure on time and on request. */

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The scheduled erasure: readers' emails and IP hashes of reports closed more than
 * `retentionDays` ago. The report text stays; only what names the reader goes.
 */
export async function eraseExpiredReaderData(
  db: D1Database,
  now: number,
  retentionDays: number,
): Promise<void> {
  const cutoff = new Date(now - retentionDays * DAY_MS).toISOString()
  await db
    .prepare(
      `UPDATE submissions SET email = NULL, ip_hash = NULL
       WHERE report_id IN (SELECT id FROM reports WHERE closed_at <= ?)
         AND (email IS NOT NULL OR ip_hash IS NOT NULL)`,
    )
    .bind(cutoff)
    .run()
}

export interface ErasureCounts {
  submissions: number
  supporters: number
}

/**
 * Erases an address everywhere, in one batch: from every submission that carried it (matched
 * case-insensitively), and from the supporter who had it, who stays listed without email or
 * name, with their payments kept for the accounts. What Stripe said of that supporter's
 * customers (their email and name) goes too. The audit row counts the rows; it never holds
 * the address.
 */
export async function eraseAddress(
  db: D1Database,
  erasure: { id: string; email: string; actor: string; at: string },
): Promise<ErasureCounts> {
  const email = erasure.email.trim().toLowerCase()
  const [audit] = await db.batch<ErasureCounts>([
    db
      .prepare(
        `INSERT INTO erasures (id, at, actor, submissions, supporters)
         SELECT ?1, ?2, ?3,
           (SELECT count(*) FROM submissions WHERE lower(email) = ?4 AND email IS NOT NULL),
           (SELECT count(*) FROM supporters WHERE email = ?4)
         RETURNING submissions, supporters`,
      )
      .bind(erasure.id, erasure.at, erasure.actor, email),
    db
      .prepare('UPDATE submissions SET email = NULL WHERE lower(email) = ? AND email IS NOT NULL')
      .bind(email),
    db
      .prepare(
        `DELETE FROM support_customer_profiles WHERE lower(email) = ?1
           OR id IN (SELECT c.id FROM support_customers c JOIN supporters s ON s.id = c.supporter_id
             WHERE s.email = ?1)`,
      )
      .bind(email),
    db
      .prepare(
        `UPDATE supporters SET email = NULL, name = NULL, erased_at = ?2, updated_at = ?2
         WHERE email = ?1`,
      )
      .bind(email, erasure.at),
  ])
  const counts = audit?.results[0]
  if (!counts) throw new Error('the erasure batch returned no counts')
  return counts
}
