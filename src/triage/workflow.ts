import { ApiError } from '../http/problem'
import type { z } from 'zod'
import { OPEN_STATUSES, type ReportStatus } from '../reports/schemas'
import type { ReportPatchSchema } from './schemas'

export function isOpen(status: ReportStatus): boolean {
  return (OPEN_STATUSES as readonly ReportStatus[]).includes(status)
}

const FORWARD: Partial<Record<ReportStatus, ReportStatus>> = {
  new: 'triaged',
  triaged: 'accepted',
  accepted: 'fixed',
}
const CLOSING_FROM_OPEN: readonly ReportStatus[] = ['rejected', 'duplicate', 'spam']

/**
 * The report workflow: new → triaged → accepted → fixed; any open status → rejected,
 * duplicate or spam; a closed report can be reopened to triaged. Staying put is allowed
 * and changes nothing.
 */
export function canMove(from: ReportStatus, to: ReportStatus): boolean {
  if (from === to) return true
  if (isOpen(from)) return FORWARD[from] === to || CLOSING_FROM_OPEN.includes(to)
  return to === 'triaged'
}

export interface ReportState {
  id: string
  status: ReportStatus
  assignee: string | null
  duplicate_of: string | null
}

export type ReportPatch = z.infer<typeof ReportPatchSchema>

export interface PlannedEvent {
  action: 'status' | 'assign' | 'note'
  from: string | null
  to: string | null
  note: string | null
}

/** What a move to `duplicate` must know of the reports around this one. */
export interface DuplicateFacts {
  /** The would-be original exists. */
  targetExists: boolean
  /** The would-be original is itself a duplicate. */
  targetIsDuplicate: boolean
  /** Other reports name this one as their original. */
  isOriginal: boolean
}

export interface Plan {
  next: ReportState
  events: PlannedEvent[]
  /** The report leaves `new` for the first time by an editor's decision. */
  triaged: boolean
  fixed: boolean
}

/**
 * What a PATCH does to a report, or a 409 for a move the workflow does not allow. The note
 * rides on the first change it accompanies, or is an event of its own.
 */
export function planPatch(
  current: ReportState,
  patch: ReportPatch,
  duplicates: DuplicateFacts,
): Plan {
  const next = { ...current }
  const events: PlannedEvent[] = []
  const status = patch.status ?? current.status
  if (!canMove(current.status, status)) {
    throw new ApiError('conflict', `A report cannot move from ${current.status} to ${status}.`)
  }
  const movesToDuplicate = status === 'duplicate' && current.status !== 'duplicate'
  if (patch.duplicate_of != null && !movesToDuplicate && status !== 'duplicate') {
    throw new ApiError('conflict', 'duplicate_of goes with status "duplicate".')
  }
  if (movesToDuplicate) {
    if (!patch.duplicate_of)
      throw new ApiError(
        'conflict',
        'Marking a duplicate needs duplicate_of, the report it repeats.',
      )
    if (patch.duplicate_of === current.id)
      throw new ApiError('conflict', 'A report cannot duplicate itself.')
    if (!duplicates.targetExists)
      throw new ApiError('conflict', `duplicate_of names no existing report.`)
    // No chains and no cycles: an original is never a duplicate, a duplicate never an original.
    if (duplicates.targetIsDuplicate)
      throw new ApiError('conflict', 'duplicate_of names a duplicate; name its original.')
    if (duplicates.isOriginal)
      throw new ApiError(
        'conflict',
        'Other reports are duplicates of this one; it stays their original.',
      )
    next.duplicate_of = patch.duplicate_of
  }
  if (status !== current.status) {
    next.status = status
    if (!isOpen(current.status)) next.duplicate_of = null
    events.push({ action: 'status', from: current.status, to: status, note: null })
  }
  if (patch.assignee !== undefined && patch.assignee !== current.assignee) {
    next.assignee = patch.assignee
    events.push({ action: 'assign', from: current.assignee, to: patch.assignee, note: null })
  }
  if (patch.note) {
    if (events[0]) events[0].note = patch.note
    else events.push({ action: 'note', from: null, to: null, note: patch.note })
  }
  return {
    next,
    events,
    triaged: current.status === 'new' && status !== 'new',
    fixed: status === 'fixed' && current.status !== 'fixed',
  }
}
