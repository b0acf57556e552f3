/** SQL of the shared plumbing: rate-limit windows, idempotency keys, the health probe. */

export const RATE_WINDOW_MS = 60_000
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

export interface WindowRow {
  hits: number
  oldest: number | null
}

export function peekWindow(db: D1Database, bucket: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      'SELECT count(*) AS hits, min(at) AS oldest FROM rate_limit_hits WHERE bucket = ? AND at > ?',
    )
    .bind(bucket, now - RATE_WINDOW_MS)
}

/** Records one hit; the table's trigger aborts it (and its batch) when the window is full. */
export function insertHit(
  db: D1Database,
  bucket: string,
  now: number,
  quota: number,
): D1PreparedStatement {
  return db
    .prepare('INSERT INTO rate_limit_hits (bucket, at, quota) VALUES (?, ?, ?)')
    .bind(bucket, now, quota)
}

export interface IdempotencyRow {
  fingerprint: string
  status: number
  response: string
}

export function findIdempotencyKey(
  db: D1Database,
  scope: string,
  key: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      'SELECT fingerprint, status, response FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at > ?',
    )
    .bind(scope, key, new Date(now - IDEMPOTENCY_TTL_MS).toISOString())
}

/** Remembers an answer under its Idempotency-Key; a concurrent twin fails on the key. */
export function rememberAnswer(
  db: D1Database,
  key: { scope: string; key: string; fingerprint: string },
  status: number,
  response: string,
  at: string,
): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO idempotency_keys (scope, key, fingerprint, status, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(key.scope, key.key, key.fingerprint, status, response, at)
}

/** Frees a key whose 24 hours are over, so the insert that follows can take it again. */
export function releaseExpiredKey(
  db: D1Database,
  scope: string,
  key: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND created_at <= ?')
    .bind(scope, key, new Date(now - IDEMPOTENCY_TTL_MS).toISOString())
}

/** The scheduled clean-up: expired keys and hits that no window can see any more. */
export async function purgeExpired(db: D1Database, now: number): Promise<void> {
  await db.batch([
    db
      .prepare('DELETE FROM idempotency_keys WHERE created_at <= ?')
      .bind(new Date(now - IDEMPOTENCY_TTL_MS).toISOString()),
    db.prepare('DELETE FROM rate_limit_hits WHERE at <= ?').bind(now - RATE_WINDOW_MS),
  ])
}

export async function pingDatabase(db: D1Database): Promise<boolean> {
  const row = await db.prepare('SELECT 1 AS ok').first<{ ok: number }>()
  return row?.ok === 1
}
