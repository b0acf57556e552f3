/**
 * What happens to a payment's money after it was paid: the charge's own refund figure, refunds
 * one by one, and the charge's dispute, each kept at its newest known state.
 */
import {
  DISPUTE_STAGES,
  REFUND_STAGES,
  type ChargeRefundEffect,
  type DisputeEffect,
  type RefundEffect,
} from './effects'
import { newer, stageSql } from './newest'

/** The charge's own cumulative figure, from its newest event (it falls when a refund fails). */
export function chargeRefundStatement(db: D1Database, effect: ChargeRefundEffect, at: string) {
  return db
    .prepare(
      `INSERT INTO support_charges (id, payment_intent_id, amount_refunded, refund_event_created, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (id) DO UPDATE SET amount_refunded = excluded.amount_refunded,
         refund_event_created = excluded.refund_event_created
       WHERE refund_event_created IS NULL
         OR ${newer('?4', '?3', 'refund_event_created', 'amount_refunded')}`,
    )
    .bind(effect.chargeId, effect.paymentIntentId, effect.amountRefunded, effect.eventCreated, at)
}

const REFUND_STAGE = stageSql('status', REFUND_STAGES)

export function refundStatement(db: D1Database, effect: RefundEffect, at: string) {
  return db
    .prepare(
      `INSERT INTO support_refunds (id, charge_id, payment_intent_id, amount, status, state_event_created,
         created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (id) DO UPDATE SET charge_id = COALESCE(excluded.charge_id, charge_id),
         amount = excluded.amount, status = excluded.status,
         state_event_created = excluded.state_event_created
       WHERE ${newer('?6', '?8', 'state_event_created', REFUND_STAGE)}`,
    )
    .bind(
      effect.id,
      effect.chargeId,
      effect.paymentIntentId,
      effect.amount,
      effect.status,
      effect.eventCreated,
      at,
      effect.stage,
    )
}

const DISPUTE_STAGE = stageSql('status', DISPUTE_STAGES)

/** The dispute's flags are remembered whenever they came; its state is its newest event's. */
export function disputeStatements(db: D1Database, effect: DisputeEffect, at: string) {
  const binds = [
    effect.chargeId,
    effect.id,
    effect.paymentIntentId,
    effect.amount,
    effect.status,
    effect.fundsWithdrawn ? 1 : 0,
    effect.fundsReinstated ? 1 : 0,
    effect.eventCreated,
    at,
    effect.stage,
  ]
  return [
    db
      .prepare(
        `INSERT INTO support_disputes (charge_id, id, payment_intent_id, amount, status, funds_withdrawn,
           funds_reinstated, state_event_created, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (charge_id) DO UPDATE SET
           funds_withdrawn = max(funds_withdrawn, excluded.funds_withdrawn),
           funds_reinstated = max(funds_reinstated, excluded.funds_reinstated)`,
      )
      .bind(...binds.slice(0, 9)),
    db
      .prepare(
        `UPDATE support_disputes SET id = ?2, amount = ?4, status = ?5, state_event_created = ?8
         WHERE charge_id = ?1 AND ${newer('?8', '?10', 'state_event_created', DISPUTE_STAGE)}`,
      )
      .bind(...binds),
  ]
}
