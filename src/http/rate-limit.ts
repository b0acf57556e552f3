import type { Context } from 'hono'
import { sha256Hex } from './crypto'
import { ApiError } from './problem'
import type { AppEnv } from './router'
import { insertHit, peekWindow, RATE_WINDOW_MS, type WindowRow } from './store'

/** One client's window for one purpose (`rateWindow` gives `null` when the limit is off). */
export interface RateWindow {
  bucket: string
  quota: number
  now: number
}

/** The salted hash that stands for the reader's IP everywhere we store or count it. */
export async function clientIpHash(c: Context<AppEnv>): Promise<string> {
  const salt = c.get('config').ipHashSalt
  if (!salt) throw new ApiError('not_configured', 'IP_HASH_SALT is not set on this deployment.')
  return sha256Hex(`${salt}\u0000${c.req.header('cf-connecting-ip') ?? 'unknown'}`)
}

export function rateWindow(
  purpose: string,
  ipHash: string,
  quota: number,
  now: number,
): RateWindow | null {
  return quota > 0 ? { bucket: `${purpose}:${ipHash}`, quota, now } : null
}

export const peek = (db: D1Database, window: RateWindow) =>
  peekWindow(db, window.bucket, window.now)

export const hit = (db: D1Database, window: RateWindow) =>
  insertHit(db, window.bucket, window.now, window.quota)

export function rateLimited(window: RateWindow, oldest: number | null): ApiError {
  const seconds =
    oldest === null ? 1 : Math.max(1, Math.ceil((oldest + RATE_WINDOW_MS - window.now) / 1000))
  return new ApiError(
    'rate_limited',
    `At most ${window.quota} per minute; try again in ${seconds} s.`,
    {
      headers: { 'Retry-After': String(seconds) },
    },
  )
}

/** Throws 429 when the window seen by a peek is already full. */
export function assertRoom(window: RateWindow, row: WindowRow | null): void {
  if (row && row.hits >= window.quota) throw rateLimited(window, row.oldest)
}

/** Whether a failed batch was refused by the rate-limit trigger rather than broken. */
export function isQuotaRefusal(error: unknown): boolean {
  return error instanceof Error && /\brate_limited\b/.test(error.message)
}
