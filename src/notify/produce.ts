/**
 * The producing side: a write that committed hands its events to `Notify`, which queues them
 * after the answer without delaying it (`waitUntil`). A write that failed never gets here, so it
 * queues nothing. Without the NOTIFY binding nothing is queued.
 */
import type { Context } from 'hono'
import type { AppEnv } from '../http/context'
import { newId } from '../http/crypto'
import type { EventMessage, EventType } from './messages'

export interface PendingEvent {
  type: EventType
  data?: Record<string, unknown>
  about?: EventMessage['about']
}

/** Queues events that a committed write caused. */
export type Notify = (events: PendingEvent[]) => void

/** The messages for events that happened `at`. */
export function eventMessages(events: PendingEvent[], at = new Date()): EventMessage[] {
  const timestamp = at.toISOString()
  return events.map(({ type, data = {}, about }) => ({
    kind: 'event',
    event: { id: newId('evt'), type, timestamp, data },
    ...(about ? { about } : {}),
  }))
}

/** Queues messages on `queue`; a failure is logged, never thrown at the write that succeeded. */
export async function enqueue(queue: Queue | undefined, messages: EventMessage[]): Promise<void> {
  if (!queue || messages.length === 0) return
  try {
    await queue.sendBatch(messages.map((body) => ({ body, contentType: 'json' })))
  } catch (error) {
    console.error(
      JSON.stringify({
        level: 'error',
        message: 'notify: could not queue events',
        events: messages.map(({ event }) => event.type),
        cause: String(error),
      }),
    )
  }
}

/** The request's `Notify`: its events are queued once the answer is on its way. */
export function notifier(c: Context<AppEnv>): Notify {
  return (events) => {
    if (events.length === 0 || !c.env.NOTIFY) return
    c.executionCtx.waitUntil(enqueue(c.env.NOTIFY, eventMessages(events)))
  }
}
