/** The admins' supporters' goal page: where the goal stands, a form to set it, one to remove it. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import { GOAL_KINDS } from '../support/goal-schemas'
import type { GoalRecord } from '../support/goal-store'
import { Alert, money, Notice, Page, pairs, Select, when } from './layout'

const KIND_LABELS = { supporters: 'Supporters', monthly: 'Monthly recurring' } as const

/** `12 of 100 supporters`, or `$120.00 of $1,000.00 a month`. */
function figure(goal: GoalRecord): string {
  if (goal.kind === 'supporters') return `${goal.current} of ${goal.target} supporters`
  return `${money(goal.current, goal.currency)} of ${money(goal.target, goal.currency)} a month`
}

const Progress: FC<{ goal: GoalRecord }> = ({ goal }) => (
  <section class="panel" aria-labelledby="goal-now-h">
    <h2 id="goal-now-h">Where it stands</h2>
    <p>
      {figure(goal)} ({Math.floor((goal.current / goal.target) * 100)}%)
    </p>
    <progress
      max={goal.target}
      value={Math.min(goal.current, goal.target)}
      aria-label="Progress towards the goal"
    />
    <p class="small muted">
      Set by {goal.updated_by} on {when(goal.updated_at)}.
    </p>
    <form method="post" action="/admin/goal/remove">
      <button type="submit" class="danger">
        Remove goal
      </button>
    </form>
  </section>
)

export const GoalPage: FC<{
  actor: Actor
  goal: GoalRecord | null
  currencies: readonly string[]
  error?: string | undefined
  notice?: string | undefined
}> = ({ actor, goal, currencies, error, notice }) => (
  <Page title="Goal" actor={actor} current="goal">
    <h1>Supporters’ goal</h1>
    <Alert message={error} />
    <Notice message={notice} />
    <div class="split">
      {goal ? <Progress goal={goal} /> : <p class="panel muted">No goal is set.</p>}
      <section class="panel" aria-labelledby="goal-form-h">
        <h2 id="goal-form-h">{goal ? 'Change the goal' : 'Set a goal'}</h2>
        <form method="post" action="/admin/goal">
          <div class="field">
            <label for="goal-kind">Kind</label>
            <Select
              id="goal-kind"
              name="kind"
              values={GOAL_KINDS.map((kind) => [kind, KIND_LABELS[kind]] as const)}
              selected={goal?.kind ?? 'supporters'}
            />
          </div>
          <div class="field">
            <label for="goal-target">Target (supporters, or minor units a month: 500 = 5.00)</label>
            <input
              id="goal-target"
              type="number"
              name="target"
              min={1}
              required
              value={goal ? String(goal.target) : ''}
            />
          </div>
          <div class="field">
            <label for="goal-currency">Currency (monthly goals only)</label>
            <Select
              id="goal-currency"
              name="currency"
              values={pairs(currencies)}
              selected={goal?.currency ?? currencies[0]}
            />
          </div>
          <button type="submit">Save goal</button>
        </form>
      </section>
    </div>
  </Page>
)
