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
import { ApiError } from './problem'
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
  /**
   * Whether the route calls another service (siteverify, Stripe) before its write: then
   * admission reads first, so that a replay or a full window never reaches that service.
   */
  readFirst?: (config: Config) => boolean
}

/**
 * The gate in front of a public write, at no cost to a valid request: its write batch carries
 * the rate-limit hit (the database refuses a full window exactly) and claims the
 * Idempotency-Key, so a new, valid request is one round trip. Only when something goes wrong
 * does admission read, to answer in the contract's order: a key seen before gets its first
 * answer again (uncounted, or 409 for another body), then a full window answers 429, before
 * whatever the request itself got wrong (400, a failed captcha, 422). A route that calls
 * another service first reads up front instead (`readFirst`).
 */
export function admit({
  purpose,
  quota,
  readFirst = () => false,
}: AdmissionOptions): MiddlewareHandler<AppEnv> {
  return async function admit(c, next) {
    const now = Date.now()
    const key = idempotencyKeyOf(c)
    const ipHash = await clientIpHash(c)
    const window = rateWindow(purpose, ipHash, quota(c.get('config')), now)
    const idempotency = key
      ? { scope: purpose, key, fingerprint: await sha256Hex(c.get('rawBody')) }
      : null
    const gate = admission(c.env.DB, { now, ipHash, window, idempotency })
    c.set('admission', gate.admission)
    if (readFirst(c.get('config'))) {
      const earlier = await gate.precedence()
      if (earlier) return answerAgain(earlier)
    }
    await next()
    if (!(c.error instanceof ApiError)) return
    const earlier = await gate.precedence()
    if (earlier) c.res = answerAgain(earlier)
  }
}

const answerAgain = (row: IdempotencyRow) =>
  new Response(row.response, {
    status: row.status,
    headers: { 'Content-Type': 'application/json' },
  })

/**
 * What takes precedence over the request's own answer, read in one batch: the answer
 * remembered under its Idempotency-Key (409 for another body), else 429 for a full window.
 */
async function readPrecedence(db: D1Database, facts: AdmissionFacts) {
  const { idempotency, window, now } = facts
  const reads = [
    ...(idempotency ? [findIdempotencyKey(db, idempotency.scope, idempotency.key, now)] : []),
    ...(window ? [peek(db, window)] : []),
  ]
  if (!reads.length) return null
  const results = await db.batch(reads)
  const keyRow = idempotency ? firstOf<IdempotencyRow>(results.shift()) : null
  if (keyRow && idempotency) return storedAnswer(keyRow, idempotency.fingerprint)
  if (window) assertRoom(window, firstOf<WindowRow>(results.shift()))
  return null
}

/** The admission a handler gets, and the precedence its middleware falls back on. */
function admission(db: D1Database, facts: AdmissionFacts) {
  let read: Promise<IdempotencyRow | null> | undefined
  let settledByWrite = false
  /** Read at most once per request; `null` when the request's own answer stands. */
  const precede = () => (read ??= readPrecedence(db, facts))

  /**
   * Runs a write that carries the rate-limit hit and, if there is a key, claims it; turns the
   * ways it can fail on admission into the contract's answers: the key already taken (its
   * answer, or 409), the window full (429). A key whose 24 hours are over is freed and the
   * write tried once more.
   */
  async function settle(write: () => Promise<string>, retried = false): Promise<string> {
    settledByWrite = true
    try {
      return await write()
    } catch (error) {
      const refusedBy = facts.window && isQuotaRefusal(error) ? facts.window : null
      const keyTaken = facts.idempotency !== null && isKeyTaken(error)
      if (!refusedBy && !keyTaken) throw error
      const earlier = await readPrecedence(db, facts)
      if (earlier) return earlier.response
      if (refusedBy) throw rateLimited(refusedBy, null)
      if (!retried && facts.idempotency) {
        const { scope, key } = facts.idempotency
        await releaseExpiredKey(db, scope, key, facts.now).run()
        return settle(write, true)
      }
      throw error
    }
  }

  const hitOnly = async () => {
    if (!facts.window) return
    const window = facts.window
    await settle(async () => {
      await db.batch([hit(db, window)])
      return ''
    })
  }

  const gate: Admission = {
    ...facts,
    commit: (writes) =>
      settle(async () => {
        const results = await db.batch<{ response: string }>([
          ...(facts.window ? [hit(db, facts.window)] : []),
          ...writes,
        ])
        const response = firstOf<{ response: string }>(results.at(-1))?.response
        if (!response) throw new Error('the admitted batch returned no answer')
        return response
      }),
    async call(status, run) {
      const earlier = await precede()
      if (earlier) return earlier.response
      await hitOnly()
      const body = await run()
      const key = facts.idempotency
      if (!key) return body
      const at = new Date(facts.now).toISOString()
      return settle(async () => {
        await rememberAnswer(db, key, status, body, at).run()
        return body
      })
    },
    async count() {
      if (await precede()) return
      await hitOnly()
    },
  }
  return {
    admission: gate,
    /** After a refusal: the answer that comes first, unless a write already settled it. */
    precedence: () => (settledByWrite && !read ? Promise.resolve(null) : precede()),
  }
}
