/**
 * The types every request's context carries, below everything that uses them, so that no two
 * modules need each other's types.
 */
import type { Config, Env } from '../env'

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

/** What admission learned about a write, for the handler's batch. */
export interface Admission {
  now: number
  ipHash: string
  /** The caller's rate-limit window; `null` when the limit is off. */
  window: RateWindow | null
  idempotency: { scope: string; key: string; fingerprint: string } | null
}

export interface AppEnv {
  Bindings: Env
  Variables: {
    requestId: string
    config: Config
    rawBody: Uint8Array
    actor: Actor
    admission: Admission
  }
}
