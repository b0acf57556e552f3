/** The hourly clean-up of Stripe facts. */

/** How long facts about charges, refunds, disputes, customers and invoice payments wait to be linked. */
export const UNLINKED_FACTS_TTL_MS = 30 * 24 * 60 * 60 * 1000

/** The payment intents of payments we recorded: a gift's own, or one that paid our invoice. */
const OUR_INTENTS = 'SELECT payment_intent_id FROM support_payment_intents'

/**
 * Deletes processed event ids older than Stripe could redeliver, and facts that never turned
 * out to be ours: invoice payments of invoices we never recorded, charges, refunds and disputes
 * of payment intents of none of our payments, profiles of customers never linked to a supporter.
 */
export async function purgeSupportFacts(db: D1Database, now: number): Promise<void> {
  const cutoff = new Date(now - UNLINKED_FACTS_TTL_MS).toISOString()
  const unlinked = (table: string) =>
    db
      .prepare(
        `DELETE FROM ${table} WHERE created_at <= ? AND payment_intent_id NOT IN (${OUR_INTENTS})`,
      )
      .bind(cutoff)
  await db.batch([
    db.prepare('DELETE FROM support_events WHERE received_at <= ?').bind(cutoff),
    unlinked('support_charges'),
    unlinked('support_refunds'),
    unlinked('support_disputes'),
    db
      .prepare(
        `DELETE FROM support_invoice_payments WHERE created_at <= ?
           AND invoice_id NOT IN (SELECT invoice_id FROM support_payments WHERE invoice_id IS NOT NULL)`,
      )
      .bind(cutoff),
    db
      .prepare(
        `DELETE FROM support_customer_profiles WHERE created_at <= ?
           AND id NOT IN (SELECT id FROM support_customers)`,
      )
      .bind(cutoff),
  ])
}
