/**
 * The rule every Stripe fact follows, as SQL: the newest event wins (by its `created`), and
 * within one second the state further along its life (see `Stages` in effects.ts).
 */
import type { Stages } from './effects'

/** A stored Stripe status's stage, as SQL: `CASE column WHEN 'incomplete' THEN 0 … END`. */
export function stageSql(column: string, stages: Stages): string {
  const cases = Object.entries(stages.known).map(
    ([status, stage]) => `WHEN '${status}' THEN ${stage}`,
  )
  return `CASE ${column} ${cases.join(' ')} ELSE ${stages.unknown} END`
}

/**
 * Whether a fact from an event created at `created` in stage `stage` (SQL expressions) is at
 * least as new as the stored one: a later second, or the same second and as far along.
 */
export const newer = (created: string, stage: string, storedCreated: string, storedStage: string) =>
  `(${created} > ${storedCreated} OR (${created} = ${storedCreated} AND ${stage} >= ${storedStage}))`
