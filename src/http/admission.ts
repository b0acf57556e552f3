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
import type { Admission, AdmissionFacts, AppEnv } from './context'
import {
  findIdempotencyKey,
  releaseExpiredKey,
  rememberAnswer,
  type IdempotencyRow,
  type WindowRow,
} from './store'
import { firstOf } from './d1'

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
      const keyRow = idempotency ? firstOf<IdempotencyRow>(results.shift()) : null
      if (keyRow && idempotency) {
        const { status, response } = storedAnswer(keyRow, idempotency.fingerprint)
        return new Response(response, { status, headers: { 'Content-Type': 'application/json' } })
      }
      if (window) assertRoom(window, firstOf<WindowRow>(results.shift()))
    }
    c.set('admission', admission(db, { now, ipHash, window, idempotency }))
    await next()
  }
}

/** Statements that must commit with the write itself: the rate-limit hit, a freed stale key. */
function admissionStatements(db: D1Database, facts: AdmissionFacts): D1PreparedStatement[] {
  const { window, idempotency, now } = facts
  return [
    ...(window ? [hit(db, window)] : []),
    ...(idempotency ? [releaseExpiredKey(db, idempotency.scope, idempotency.key, now)] : []),
  ]
}

/**
 * Runs a write that carries admission's statements and yields the answer's JSON text, turning
 * the two ways it can lose a race into the contract's answers: the window filled meanwhile
 * (429), or a concurrent request with the same Idempotency-Key committed first (its answer, or
 * 409 for another body).
 */
async function settled(
  db: D1Database,
  facts: AdmissionFacts,
  write: () => Promise<string>,
): Promise<string> {
  try {
    return await write()
  } catch (error) {
    if (facts.window && isQuotaRefusal(error)) {
      const row = await peek(db, facts.window).first<WindowRow>()
      throw rateLimited(facts.window, row?.oldest ?? null)
    }
    const idempotency = facts.idempotency
    if (idempotency && isKeyTaken(error)) {
      const row = await findIdempotencyKey(
        db,
        idempotency.scope,
        idempotency.key,
        facts.now,
      ).first<IdempotencyRow>()
      if (row) return storedAnswer(row, idempotency.fingerprint).response
    }
    throw error
  }
}

/** The admission object a handler gets, bound to the request's facts and database. */
function admission(db: D1Database, facts: AdmissionFacts): Admission {
  const count = async () => {
    const statements = admissionStatements(db, facts)
    if (!statements.length) return
    await settled(db, facts, async () => {
      await db.batch(statements)
      return ''
    })
  }
  return {
    ...facts,
    commit: (writes) =>
      settled(db, facts, async () => {
        const results = await db.batch<{ response: string }>([
          ...admissionStatements(db, facts),
          ...writes,
        ])
        const response = firstOf<{ response: string }>(results.at(-1))?.response
        if (!response) throw new Error('the admitted batch returned no answer')
        return response
      }),
    async call(status, run) {
      await count()
      const body = await run()
      const key = facts.idempotency
      if (!key) return body
      const at = new Date(facts.now).toISOString()
      return settled(db, facts, async () => {
        await rememberAnswer(db, key, status, body, at).run()
        return body
      })
    },
    count,
  }
}
