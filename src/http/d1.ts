/**
 * The one place that knows D1's shapes: typed rows of a statement or of one result of a batch,
 * and what a failed write's error says (a UNIQUE constraint, a trigger's refusal). Callers ask
 * by table, column or index name; none matches error text itself.
 */

/** The rows of one result of a batch, typed as the statement's SELECT promises. */
export function rowsOf<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[]
}

/** The first row of one result of a batch, or `null`. */
export function firstOf<T>(result: D1Result | undefined): T | null {
  return rowsOf<T>(result)[0] ?? null
}

/**
 * Whether a failed write broke the UNIQUE constraint on `target`: columns as SQLite names them
 * (`support_events.id`, `reports.url, reports.quote_key`, a table's prefix `idempotency_keys.`),
 * or a unique index by its name.
 */
export function isUniqueViolation(error: unknown, ...targets: string[]): boolean {
  if (!(error instanceof Error)) return false
  const failed = /UNIQUE constraint failed: (.*)/.exec(error.message)?.[1] ?? ''
  return targets.some(
    (target) => failed.startsWith(target) || failed.startsWith(`index '${target}'`),
  )
}

/** Whether a trigger refused the write with `RAISE(ABORT, '<word> …')`. */
export function isRefusedBy(error: unknown, word: string): boolean {
  return error instanceof Error && new RegExp(`\\b${word}\\b`).test(error.message)
}

/** A list of fixed words as SQL, for `IN (…)`: `('new', 'triaged')`. Never for user input. */
export const sqlList = (words: readonly string[]) =>
  `(${words.map((word) => `'${word}'`).join(', ')})`
