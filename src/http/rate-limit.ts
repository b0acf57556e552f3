import type { Context } from 'hono'
import { sha256Hex } from './crypto'
import { ApiError } from './problem'
import type { AppEnv, RateWindow } from './context'
import { insertHit, peekWindow, RATE_WINDOW_MS, type WindowRow } from './store'
import { isRefusedBy } from './d1'

/** An IPv6 address's eight groups, `::` expanded and a trailing IPv4 part as two groups. */
function ipv6Groups(address: string): string[] | null {
  let text = address
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1]
  if (v4) {
    const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return null
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves[1] ? halves[1].split(':') : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail]
  return groups.every((group) => /^[0-9a-f]{1,4}$/.test(group)) ? groups : null
}

/**
 * The client as the rate limit counts it: an IPv4 address, or an IPv6 /64, since anyone on
 * IPv6 holds a whole /64 and could otherwise take a new address for every request. An
 * IPv4-mapped IPv6 address is its IPv4 address.
 */
export function clientNetwork(address: string): string {
  const ip = address.trim().toLowerCase().replace(/%.*$/, '')
  if (!ip.includes(':')) return ip
  const groups = ipv6Groups(ip)
  if (!groups) return ip
  const mapped = groups.slice(0, 5).every((group) => Number.parseInt(group, 16) === 0)
  if (mapped && Number.parseInt(groups[5]!, 16) === 0xffff) {
    const [high, low] = [Number.parseInt(groups[6]!, 16), Number.parseInt(groups[7]!, 16)]
    return [high >> 8, high & 255, low >> 8, low & 255].join('.')
  }
  const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16))
  return `${prefix.join(':')}::/64`
}

/** The salted hash that stands for the reader's network everywhere we store or count it. */
export async function clientIpHash(c: Context<AppEnv>): Promise<string> {
  const salt = c.get('config').ipHashSalt
  if (!salt) throw new ApiError('not_configured', 'IP_HASH_SALT is not set on this deployment.')
  const client = clientNetwork(c.req.header('cf-connecting-ip') ?? 'unknown')
  return sha256Hex(`${salt}\u0000${client}`)
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
  return isRefusedBy(error, 'rate_limited')
}
