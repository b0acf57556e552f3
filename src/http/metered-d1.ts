/**
 * What a request costs in D1, as D1 bills it: round trips to the database and the rows read and
 * written, summed from every result's `meta`. The app gives each request its own metered view
 * of `DB`, and the access log writes the sums on the request's line.
 */

export interface D1Usage {
  round_trips: number
  rows_read: number
  rows_written: number
}

export const noUsage = (): D1Usage => ({ round_trips: 0, rows_read: 0, rows_written: 0 })

/**
 * `db` as the request sees it, adding to `usage` on every call. `first()` is answered from
 * `all()` (D1 runs the whole statement either way) so that its meta is counted too.
 */
export function meteredDatabase(db: D1Database, usage: D1Usage): D1Database {
  const inner = new WeakMap<D1PreparedStatement, D1PreparedStatement>()
  const add = (meta: D1Meta | undefined) => {
    usage.rows_read += meta?.rows_read ?? 0
    usage.rows_written += meta?.rows_written ?? 0
  }
  const counted = async <R extends D1Result>(result: Promise<R>): Promise<R> => {
    usage.round_trips += 1
    const settled = await result
    add(settled.meta)
    return settled
  }

  function wrap(statement: D1PreparedStatement): D1PreparedStatement {
    const metered = {
      bind: (...values: unknown[]) => wrap(statement.bind(...values)),
      run: () => counted(statement.run()),
      all: () => counted(statement.all()),
      async first(column?: string) {
        const row = (await counted(statement.all())).results[0] as
          Record<string, unknown> | undefined
        if (!row) return null
        return column === undefined ? row : (row[column] ?? null)
      },
      raw(options?: { columnNames?: boolean }) {
        usage.round_trips += 1
        return statement.raw(options as { columnNames?: false })
      },
    } as unknown as D1PreparedStatement
    inner.set(metered, statement)
    return metered
  }

  return {
    prepare: (query: string) => wrap(db.prepare(query)),
    async batch<T>(statements: D1PreparedStatement[]) {
      usage.round_trips += 1
      const results = await db.batch<T>(statements.map((s) => inner.get(s) ?? s))
      for (const result of results) add(result.meta)
      return results
    },
    exec(query: string) {
      usage.round_trips += 1
      return db.exec(query)
    },
    withSession: (constraint?: string) => db.withSession(constraint),
    dump: () => db.dump(),
  } as D1Database
}
