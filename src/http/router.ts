import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './context'
import type { ZodError } from 'zod'
import { validationFailed } from './problem'

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
