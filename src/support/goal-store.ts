/**
 * The supporters' goal: one row at most (migrations/0011_supporters_goal.sql). Where it stands
 * is counted when it is read, with the very queries of the public supporter figures.
 */
import { firstOf } from '../http/d1'
import type { GoalInput, SupportersGoal } from './goal-schemas'
import { ACTIVE_COUNT, MONTHLY_RECURRING } from './supporter-store'

/** The goal as readers see it, and who set it when. */
export interface GoalRecord extends SupportersGoal {
  updated_at: string
  updated_by: string
}

const CURRENT_GOAL = `WITH recurring AS (${MONTHLY_RECURRING})
  SELECT g.kind, g.target, g.currency, g.updated_at, g.updated_by,
    CASE g.kind WHEN 'supporters' THEN (${ACTIVE_COUNT})
      ELSE coalesce((SELECT r.amount FROM recurring r WHERE r.currency = g.currency), 0)
    END AS current
  FROM supporters_goal g`

/** The goal and where it stands now, or `null` when none is set. */
export function readGoal(db: D1Database): Promise<GoalRecord | null> {
  return db.prepare(CURRENT_GOAL).first<GoalRecord>()
}

/** Sets the goal, replacing any, and answers it as it now stands. */
export async function setGoal(
  db: D1Database,
  input: GoalInput,
  at: string,
  by: string,
): Promise<GoalRecord> {
  const [, read] = await db.batch([
    db
      .prepare(
        `INSERT INTO supporters_goal (id, kind, target, currency, updated_at, updated_by)
         VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, target = excluded.target,
           currency = excluded.currency, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
      )
      .bind(input.kind, input.target, input.currency, at, by),
    db.prepare(CURRENT_GOAL),
  ])
  const goal = firstOf<GoalRecord>(read)
  if (!goal) throw new Error('the supporters’ goal just written was not read back')
  return goal
}

/** Removes the goal; removing none is no error. */
export async function clearGoal(db: D1Database): Promise<void> {
  await db.prepare('DELETE FROM supporters_goal').run()
}

/** What readers are shown of a goal. */
export const publicGoal = ({ kind, target, current, currency }: GoalRecord): SupportersGoal => ({
  kind,
  target,
  current,
  currency,
})
