import type { MiddlewareHandler } from 'hono'
import type { Config } from '../env'
import { sha256Hex } from './crypto'
import { idempotencyKeyOf, isKeyTaken, storedAnswer } from './idempotency'
import {
  assertRoom,
  clientIpHash,
  hit,
  isQuotaRefusal,
  peek,
  rateLimited,
  rateWindow,
} from './rate-limit'
import type { Admission, AppEnv } from './context'
import { findIdempotencyKey, releaseExpiredKey, type IdempotencyRow, type WindowRow } from './store'

interface AdmissionOptions {
  /** Names the rate-limit bucket and the idempotency scope. */
  purpose: string
  quota: (config: Config) => number
}

/**
 * The gate in front of a public write, in one database round trip: an Idempotency-Key seen
 * before answers its first response again (uncounted); otherwise a full rate-limit window
 * answers 429 before the body is even validated. The handler's batch then records the hit,
 * where the database enforces the quota exactly.
 */
export function admit({ purpose, quota }: AdmissionOptions): MiddlewareHandler<AppEnv> {
  return async function admit(c, next) {
    const now = Date.now()
    const key = idempotencyKeyOf(c)
    const ipHash = await clientIpHash(c)
    const window = rateWindow(purpose, ipHash, quota(c.get('config')), now)
    const idempotency = key
      ? { scope: purpose, key, fingerprint: await sha256Hex(c.get('rawBody')) }
      : null
    const db = c.env.DB
    const reads = [
      ...(idempotency ? [findIdempotencyKey(db, idempotency.scope, idempotency.key, now)] : []),
      ...(window ? [peek(db, window)] : []),
    ]
    if (reads.length) {
      const results = await db.batch(reads)
      const keyRow = idempotency
        ? ((results.shift()?.results[0] as IdempotencyRow | undefined) ?? null)
        : null
      if (keyRow && idempotency) {
        const { status, response } = storedAnswer(keyRow, idempotency.fingerprint)
        return new Response(response, { status, headers: { 'Content-Type': 'application/json' } })
      }
      if (window) assertRoom(window, (results.shift()?.results[0] as WindowRow | undefined) ?? null)
    }
    c.set('admission', { now, ipHash, window, idempotency })
    await next()
  }
}

/** Statements that must commit with the write itself: the rate-limit hit, a freed stale key. */
export function admissionStatements(db: D1Database, admission: Admission): D1PreparedStatement[] {
  const { window, idempotency, now } = admission
  return [
    ...(window ? [hit(db, window)] : []),
    ...(idempotency ? [releaseExpiredKey(db, idempotency.scope, idempotency.key, now)] : []),
  ]
}

/**
 * Records the admission on its own, for a write that cannot join a batch (a call to another
 * service): the hit is in the database before the call, so the limit stays exact, and a
 * window that filled meanwhile answers 429 without the call being made.
 */
export async function recordAdmission(db: D1Database, admission: Admission): Promise<void> {
  const statements = admissionStatements(db, admission)
  if (!statements.length) return
  await commitAdmitted(db, admission, async () => {
    await db.batch(statements)
    return ''
  })
}

/**
 * Runs a write batch that carries admission's statements and yields the answer's JSON text,
 * turning the two ways it can lose a race into the contract's answers: the window filled
 * meanwhile (429), or a concurrent request with the same Idempotency-Key committed first
 * (its answer, or 409 for another body).
 */
export async function commitAdmitted(
  db: D1Database,
  admission: Admission,
  write: () => Promise<string>,
): Promise<string> {
  try {
    return await write()
  } catch (error) {
    if (admission.window && isQuotaRefusal(error)) {
      const row = await peek(db, admission.window).first<WindowRow>()
      throw rateLimited(admission.window, row?.oldest ?? null)
    }
    const idempotency = admission.idempotency
    if (idempotency && isKeyTaken(error)) {
      const row = await findIdempotencyKey(
        db,
        idempotency.scope,
        idempotency.key,
        admission.now,
      ).first<IdempotencyRow>()
      if (row) return storedAnswer(row, idempotency.fingerprint).response
    }
    throw error
  }
}
