/** Reading the web app's forms: their text fields, checked with the API's own schemas. */
import type { Context } from 'hono'
import type { z } from 'zod'
import type { AppEnv } from '../http/context'
import { ApiError, fieldErrors } from '../http/problem'

/** The form's text fields; files and repeated names are not part of any form here. */
export async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => {
    throw new ApiError('validation_failed', 'The form could not be read.')
  })
  return Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
}

/** Parses with the API's own schema; a failure is the API's 400, its fields named. */
export function parseWith<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const fields = fieldErrors(result.error)
    .map((field) => `${field.path}: ${field.message}`)
    .join('; ')
  throw new ApiError('validation_failed', `Some fields are not valid (${fields}).`)
}

/** Drops empty form values, which mean "not given". */
export const given = (values: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value?.trim()))
