import { SITE } from './http'

let sequence = 0

/** A valid report body with a quote no other report in the file has. */
export function reportInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence += 1
  return {
    url: `${SITE}/2026/11/city-budget-${sequence}`,
    quote: `The council approved ${sequence} million for parks`,
    suggestion: `The council approved ${sequence + 1} million for parks`,
    ...overrides,
  }
}

/** Rows of a table, for asserting what was (not) stored. */
export async function count(db: D1Database, table: string): Promise<number> {
  const row = await db.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>()
  return row?.n ?? 0
}
