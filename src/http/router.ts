import { OpenAPIHono } from '@hono/zod-openapi'
import type { Config, Env } from '../env'
import type { Admission } from './admission'
import type { ZodError } from 'zod'
import { validationFailed } from './problem'

export type Role = 'editor' | 'admin'

/** Who is acting: the editor's name goes into every event they cause. */
export interface Actor {
  id: string | null
  name: string
  role: Role
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

/** The one validation hook: every zod failure, whatever the route, answers the same 400. */
export function validationHook(
  result: { target: string } & ({ success: true } | { success: false; error: ZodError }),
): void {
  if (!result.success) {
    const detail =
      result.target === 'query'
        ? 'Some query parameters are not valid.'
        : 'Some fields are not valid.'
    throw validationFailed(result.error, detail)
  }
}

/** A capability's sub-app, sharing the validation hook. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}
