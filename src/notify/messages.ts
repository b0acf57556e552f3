/**
 * What travels through the NOTIFY queue. A write that commits queues one `event`; the consumer
 * fans it out into one `webhook` message per subscribed endpoint and one `email` message per
 * reader to tell, so that each is retried on its own.
 */

export const EVENT_TYPES = [
  'report.created',
  'report.updated',
  'correction.published',
  'supporter.started',
  'supporter.canceled',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

/** One event as every endpoint receives it: the body of a delivery is `{ type, timestamp, data }`. */
export interface NotifyEvent {
  /** `evt_…`; with the endpoint's id it makes the delivery's `webhook-id`. */
  id: string
  type: EventType
  /** ISO 8601, when the write committed. */
  timestamp: string
  data: Record<string, unknown>
}

/** Readers to email because of an event, decided by the consumer from the database. */
export type ReaderOutcome = 'correction' | 'rejected'

export interface EventMessage {
  kind: 'event'
  event: NotifyEvent
  /**
   * What the consumer reads to complete `data` when the write did not have it at hand: the
   * report of `report.created`, the supporter of `supporter.*`, as they are when fanned out.
   */
  about?: { report_id?: string; supporter_id?: string }
}

export interface WebhookMessage {
  kind: 'webhook'
  endpoint_id: string
  /** The Standard Webhooks `webhook-id`: the same on every retry of this message. */
  message_id: string
  event: NotifyEvent
}

export interface EmailMessage {
  kind: 'email'
  submission_id: string
  outcome: ReaderOutcome
  /** The correction the reader is told of (their report's, or its original's). */
  correction: { kind: string; text: string; published_at: string } | null
  /** Their report was closed as a duplicate of the report that got `correction`. */
  via_duplicate: boolean
}

export type NotifyMessage = EventMessage | WebhookMessage | EmailMessage
