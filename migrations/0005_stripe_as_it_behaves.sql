-- Supporters as Stripe really behaves: refunds and disputes as facts of their own, a supporter
-- that follows its Stripe customer's email and name, and the date a subscription is set to end.
-- Works with the code deployed before it: it only adds tables and columns, and copies what the
-- old dispute columns knew into the new table.

-- The date a subscription is set to end (`cancel_at`, or the period end when
-- `cancel_at_period_end`), and on the supporter the one of the subscription that describes them.
ALTER TABLE support_subscriptions ADD COLUMN cancel_at TEXT;
ALTER TABLE supporters ADD COLUMN cancel_at TEXT;

-- A charge's own cumulative `amount_refunded` now comes from its newest charge event (it falls
-- when a refund fails); it counts only while no refund object of the charge has been seen.
ALTER TABLE support_charges ADD COLUMN refund_event_created INTEGER;

-- One row per refund id, at its newest known state (`state_event_created`; within one second
-- the state further along wins). `pending` and `succeeded` refunds count; `failed` and
-- `canceled` ones gave the money back. Kept whether or not the payment is known yet, and purged
-- after 30 days when it never turns out to be ours.
CREATE TABLE support_refunds (
  id TEXT PRIMARY KEY,
  charge_id TEXT,
  payment_intent_id TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  status TEXT NOT NULL,
  state_event_created INTEGER NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX support_refunds_intent ON support_refunds (payment_intent_id);
CREATE INDEX support_refunds_charge ON support_refunds (charge_id) WHERE charge_id IS NOT NULL;
CREATE INDEX support_refunds_created ON support_refunds (created_at);

-- One row per disputed charge (Stripe opens at most one dispute per charge, so an inquiry that
-- escalates stays one row). `status` is Stripe's, from the newest event; the two flags
-- remember charge.dispute.funds_withdrawn / funds_reinstated whenever they arrived. Whether the
-- dispute holds money back is derived from these three (see src/support/figures.ts).
CREATE TABLE support_disputes (
  charge_id TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  payment_intent_id TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  status TEXT NOT NULL,
  funds_withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (funds_withdrawn IN (0, 1)),
  funds_reinstated INTEGER NOT NULL DEFAULT 0 CHECK (funds_reinstated IN (0, 1)),
  state_event_created INTEGER NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX support_disputes_intent ON support_disputes (payment_intent_id);
CREATE INDEX support_disputes_created ON support_disputes (created_at);

-- What support_charges knew of disputes (open, won or lost) carries over; those columns are no
-- longer read.
INSERT INTO support_disputes (charge_id, id, payment_intent_id, amount, status, state_event_created,
  created_at)
SELECT id, 'dp_unknown', payment_intent_id, dispute_amount,
  CASE dispute_status WHEN 'open' THEN 'needs_response' ELSE dispute_status END, 0, created_at
FROM support_charges WHERE dispute_status IS NOT NULL;

-- The newest email and name Stripe told us for a customer (customer.updated). A supporter
-- follows the profile of its linked customers; a profile of a customer not (yet) linked waits,
-- like the other facts, and is purged after 30 days when it never turns out to be ours.
CREATE TABLE support_customer_profiles (
  id TEXT PRIMARY KEY,
  email TEXT,
  name TEXT,
  event_created INTEGER NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX support_customer_profiles_created ON support_customer_profiles (created_at);
