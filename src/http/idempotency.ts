import type { Context } from 'hono'
import { ApiError } from './problem'
import type { AppEnv } from './context'
import type { IdempotencyRow } from './store'
import { isUniqueViolation } from './d1'

/** 1–255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/

/** The request's Idempotency-Key, if any. */
export function idempotencyKeyOf(c: Context<AppEnv>): string | undefined {
  const key = c.req.header('idempotency-key')
  if (key === undefined) return undefined
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new ApiError(
      'validation_failed',
      'Idempotency-Key must be 1 to 255 visible ASCII characters.',
      {
        errors: [{ path: 'Idempotency-Key', message: 'invalid header' }],
      },
    )
  }
  return key
}

/** The remembered answer for a retried request; 409 when the key came with another body. */
export function storedAnswer(row: IdempotencyRow, fingerprint: string): IdempotencyRow {
  if (row.fingerprint !== fingerprint) {
    throw new ApiError('conflict', 'This Idempotency-Key was already used with a different body.')
  }
  return row
}

/** Whether a failed batch lost the race for its Idempotency-Key to a concurrent twin. */
export function isKeyTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'idempotency_keys.')
}
