import { z } from '@hono/zod-openapi'
import { base64url, fromBase64url } from './crypto'
import { ApiError } from './problem'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(25)
    .openapi({
      param: { name: 'limit', in: 'query' },
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 25,
    }),
  cursor: z
    .string()
    .max(1024)
    .optional()
    .openapi({
      param: { name: 'cursor', in: 'query' },
      description: 'The previous page’s `next_cursor`.',
    }),
})

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), next_cursor: z.string().nullable() })
}

type Key = (string | number | null)[]

const CursorSchema = z.object({ v: z.literal(1), s: z.string(), k: z.unknown() })

function invalidCursor(): ApiError {
  return new ApiError('validation_failed', 'This cursor was not issued for this list.', {
    errors: [{ path: 'cursor', message: 'unknown cursor' }],
  })
}

/**
 * A keyset position, opaque to clients. `scope` names the list and its order, so a cursor
 * from one list or sort is refused by another.
 */
function encodeCursor(scope: string, key: Key): string {
  return base64url(encoder.encode(JSON.stringify({ v: 1, s: scope, k: key })))
}

/** The keyset position in a cursor, checked against the shape `key` this list issues. */
function decodeCursor<T extends z.ZodType<Key>>(scope: string, cursor: string, key: T): z.infer<T> {
  let parsed: unknown
  try {
    parsed = JSON.parse(decoder.decode(fromBase64url(cursor)))
  } catch {
    throw invalidCursor()
  }
  const envelope = CursorSchema.safeParse(parsed)
  if (!envelope.success || envelope.data.s !== scope) throw invalidCursor()
  const position = key.safeParse(envelope.data.k)
  if (!position.success) throw invalidCursor()
  return position.data
}

/**
 * One list's keyset paging: `scope` names the list and its order, `key` is the shape of its
 * position, `keyOf` reads a row's position. Lists fetch one row more than the page, so whether
 * more remain needs no second query.
 */
export function keyset<T extends z.ZodType<Key>, Row>(
  scope: string,
  key: T,
  keyOf: (row: Row) => z.infer<T>,
) {
  return {
    /** Where the page starts: after the cursor's position, or at the start without one. */
    after: (cursor: string | undefined): z.infer<T> | null =>
      cursor ? decodeCursor(scope, cursor, key) : null,
    /** The page of `rows` (fetched with `limit + 1`), and the cursor of the next one. */
    page(rows: Row[], limit: number): { items: Row[]; next_cursor: string | null } {
      const more = rows.length > limit
      const items = more ? rows.slice(0, limit) : rows
      return { items, next_cursor: more ? encodeCursor(scope, keyOf(items.at(-1)!)) : null }
    },
  }
}
