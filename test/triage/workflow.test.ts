import { describe, expect, it } from 'vitest'
import { REPORT_STATUSES, type ReportStatus } from '../../src/reports/schemas'
import { canMove, planPatch } from '../../src/triage/workflow'

const ALLOWED = new Set([
  'new>triaged',
  'triaged>accepted',
  'accepted>fixed',
  ...['new', 'triaged', 'accepted'].flatMap((from) =>
    ['rejected', 'duplicate', 'spam'].map((to) => `${from}>${to}`),
  ),
  ...['fixed', 'rejected', 'duplicate', 'spam'].map((from) => `${from}>triaged`),
])

describe('the report workflow', () => {
  const pairs = REPORT_STATUSES.flatMap((from) => REPORT_STATUSES.map((to) => [from, to] as const))

  it.each(pairs)('%s → %s is allowed only as the contract says', (from, to) => {
    expect(canMove(from, to)).toBe(from === to || ALLOWED.has(`${from}>${to}`))
  })

  const missing = { targetExists: false, targetIsDuplicate: false, isOriginal: false }
  const original = { ...missing, targetExists: true }

  const state = (status: ReportStatus) => ({
    id: 'rep_a',
    status,
    assignee: null,
    duplicate_of: null,
  })

  it('records a status change, an assignment and a note riding on the first', () => {
    const plan = planPatch(
      state('new'),
      { status: 'triaged', assignee: 'Ana', note: 'Checking the budget PDF' },
      missing,
    )
    expect(plan.next).toMatchObject({ status: 'triaged', assignee: 'Ana' })
    expect(plan.events).toEqual([
      { action: 'status', from: 'new', to: 'triaged', note: 'Checking the budget PDF' },
      { action: 'assign', from: null, to: 'Ana', note: null },
    ])
    expect(plan.triaged).toBe(true)
  })

  it('plans nothing when the status is the one the report has', () => {
    expect(planPatch(state('accepted'), { status: 'accepted' }, missing).events).toEqual([])
  })

  it('makes a lone note an event of its own', () => {
    expect(planPatch(state('new'), { note: 'hm' }, missing).events).toEqual([
      { action: 'note', from: null, to: null, note: 'hm' },
    ])
  })

  it('needs an existing other report for a duplicate', () => {
    expect(() => planPatch(state('new'), { status: 'duplicate' }, missing)).toThrow(/duplicate_of/)
    expect(() =>
      planPatch(state('new'), { status: 'duplicate', duplicate_of: 'rep_a' }, original),
    ).toThrow(/itself/)
    expect(() =>
      planPatch(state('new'), { status: 'duplicate', duplicate_of: 'rep_x' }, missing),
    ).toThrow(/no existing/)
    expect(() => planPatch(state('new'), { duplicate_of: 'rep_b' }, original)).toThrow(/goes with/)
    expect(
      planPatch(state('triaged'), { status: 'duplicate', duplicate_of: 'rep_b' }, original).next
        .duplicate_of,
    ).toBe('rep_b')
  })

  it('allows no chains and no cycles of duplicates', () => {
    const toB = { status: 'duplicate', duplicate_of: 'rep_b' } as const
    expect(() => planPatch(state('new'), toB, { ...original, targetIsDuplicate: true })).toThrow(
      /names a duplicate/,
    )
    expect(() => planPatch(state('new'), toB, { ...original, isOriginal: true })).toThrow(
      /their original/,
    )
  })

  it('clears duplicate_of when a duplicate is reopened', () => {
    const plan = planPatch(
      { ...state('duplicate'), duplicate_of: 'rep_b' },
      { status: 'triaged' },
      missing,
    )
    expect(plan.next).toMatchObject({ status: 'triaged', duplicate_of: null })
  })
})
