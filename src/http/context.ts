/**
 * The types every request's context carries, below everything that uses them, so that no two
 * modules need each other's types.
 */
import type { Config, Env } from '../env'
import type { D1Usage } from './metered-d1'

export const ROLES = ['editor', 'admin'] as const
export type Role = (typeof ROLES)[number]

/** Who is acting: the editor's name goes into every event they cause. */
export interface Actor {
  id: string | null
  name: string
  role: Role
}

/** One client's window for one purpose (`rateWindow` gives `null` when the limit is off). */
export interface RateWindow {
  bucket: string
  quota: number
  now: number
}

/** What admission learned about a request: when, who (by network), its key, its window. */
export interface AdmissionFacts {
  now: number
  ipHash: string
  /** The caller's rate-limit window; `null` when the limit is off. */
  window: RateWindow | null
  idempotency: { scope: string; key: string; fingerprint: string } | null
}

/**
 * A public write's gate, as the handler uses it: one call for a write that is one batch, one
 * for a write that calls another service, one to count a refused attempt. Each settles the
 * races admission can lose (429 when the window filled meanwhile; the first answer when a twin
 * with the same Idempotency-Key committed first).
 */
export interface Admission extends AdmissionFacts {
  /**
   * One batch: the rate-limit hit and the key's upkeep, then `writes`, whose last statement
   * returns the answer's JSON as `response` (and remembers it under the key, if there is one).
   */
  commit(writes: D1PreparedStatement[]): Promise<string>
  /**
   * Counts the request before `run` calls another service (so a full window never reaches it),
   * then remembers `run`'s JSON answer under the key, with `status`.
   */
  call(status: number, run: () => Promise<string>): Promise<string>
  /** Counts a refused attempt that must still count (a failed captcha). */
  count(): Promise<void>
}

export interface AppEnv {
  Bindings: Env
  Variables: {
    requestId: string
    config: Config
    rawBody: Uint8Array
    actor: Actor
    admission: Admission
    /** What the request has cost in D1 so far (the access log writes it). */
    d1: D1Usage
  }
}
