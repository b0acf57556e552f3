import { z } from '@hono/zod-openapi'

/** A query parameter holding a comma-separated list of `values`, deduplicated; absent is `undefined`. */
export function enumListParam<T extends string>(
  name: string,
  values: readonly T[],
  openapi: { description: string; example: string },
) {
  const one = values.join('|')
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined
      const items = [...new Set(value.split(',').map((item) => item.trim()))]
      const unknown = items.filter((item) => !(values as readonly string[]).includes(item))
      if (unknown.length) {
        ctx.addIssue({ code: 'custom', message: `unknown ${name}: ${unknown.join(', ')}` })
        return z.NEVER
      }
      return items as T[]
    })
    .openapi({
      param: { name, in: 'query' },
      type: 'string',
      pattern: `^\\s*(?:${one})\\s*(?:,\\s*(?:${one})\\s*)*$`,
      ...openapi,
    })
}
