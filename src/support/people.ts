/**
 * Who a supporter is, as the ledger records it: a person found by their Stripe customer, else by
 * email, who follows the email and name Stripe last told us for that customer.
 */
import { newId } from '../http/crypto'
import type { CustomerEffect } from './effects'

/** Whether the person is ours to record: a marked object, or one linked to a known subscription. */
export const OURS = '(?1 = 1 OR EXISTS (SELECT 1 FROM support_subscriptions WHERE id = ?2))'

interface Person {
  email: string | null
  name: string | null
  customerId: string | null
  marked: boolean
  subscriptionId: string | null
}

/**
 * The supporter behind an event. A customer already linked belongs to its supporter, whatever
 * email the event carries (an email changed in Stripe's portal never splits a person);
 * otherwise the person is found by email, or made, and the customer linked to them. Another
 * customer with the same email joins that person and never renames them.
 */
export function personStatements(
  db: D1Database,
  person: Person,
  at: string,
): D1PreparedStatement[] {
  const marked = person.marked ? 1 : 0
  const statements: D1PreparedStatement[] = []
  if (person.email) {
    statements.push(
      db
        .prepare(
          `INSERT INTO supporters (id, email, name, created_at, updated_at)
           SELECT ?3, ?4, ?5, ?6, ?6 WHERE ${OURS}
             AND NOT EXISTS (SELECT 1 FROM support_customers WHERE id = ?7)
           ON CONFLICT (email) DO UPDATE SET name = COALESCE(name, excluded.name),
             updated_at = excluded.updated_at`,
        )
        .bind(
          marked,
          person.subscriptionId,
          newId('spt'),
          person.email,
          person.name,
          at,
          person.customerId,
        ),
    )
    if (person.customerId) {
      statements.push(
        db
          .prepare(
            `INSERT INTO support_customers (id, supporter_id, created_at)
             SELECT ?3, s.id, ?5 FROM supporters s WHERE s.email = ?4 AND ${OURS}
             ON CONFLICT (id) DO NOTHING`,
          )
          .bind(marked, person.subscriptionId, person.customerId, person.email, at),
      )
    }
  }
  if (person.customerId) statements.push(followCustomer(db, person.customerId, person.name, at))
  return statements
}

/**
 * The supporter of a linked customer takes the customer's newest profile (customer.updated);
 * without one, `name` only fills a blank. An email another supporter already has is not taken,
 * and a supporter an admin erased is never named again. Nothing is written when nothing changes.
 */
function followCustomer(db: D1Database, customerId: string, name: string | null, at: string) {
  return db
    .prepare(
      `UPDATE supporters SET name = f.name, email = f.email, updated_at = ?3
       FROM (SELECT s.id, COALESCE(p.name, s.name, ?2) AS name,
           COALESCE(CASE WHEN NOT EXISTS (SELECT 1 FROM supporters o WHERE o.email = p.email AND o.id <> s.id)
             THEN p.email END, s.email) AS email
         FROM support_customers c JOIN supporters s ON s.id = c.supporter_id
           LEFT JOIN support_customer_profiles p ON p.id = c.id
         WHERE c.id = ?1 AND s.erased_at IS NULL) f
       WHERE supporters.id = f.id AND (supporters.name, supporters.email) IS NOT (f.name, f.email)`,
    )
    .bind(customerId, name, at)
}

/** The payment's supporter: its customer's, else the person with its email. */
export const PAYMENT_SUPPORTER = `COALESCE((SELECT supporter_id FROM support_customers WHERE id = ?3),
  (SELECT id FROM supporters WHERE email = ?4))`

/** The customer's newest email and name, kept whether or not the customer is linked yet. */
export function customerStatements(db: D1Database, effect: CustomerEffect, at: string) {
  return [
    db
      .prepare(
        `INSERT INTO support_customer_profiles (id, email, name, event_created, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name,
           event_created = excluded.event_created
         WHERE excluded.event_created >= event_created`,
      )
      .bind(effect.customerId, effect.email, effect.name, effect.eventCreated, at),
    followCustomer(db, effect.customerId, null, at),
  ]
}
