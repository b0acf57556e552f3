-- Supporters' totals kept as the facts change, so that a webhook event costs the same however
-- long a supporter's history: each payment stores what it is worth, triggers keep those values
-- and every supporter's total per currency up to date whoever writes the rows, and a
-- supporter's lifetime amount is one row of those totals. Works with the code deployed before
-- it: it only adds columns, views, a table and triggers, and the values the triggers keep are
-- the ones that code computes itself.

-- A payment's supporter is its customer's, else the one it was recorded for; `supporter_id`
-- now always says so (a trigger below moves a payment when its customer is linked later).
UPDATE support_payments SET supporter_id = c.supporter_id
FROM support_customers c
WHERE c.id = support_payments.customer_id AND support_payments.supporter_id IS NOT c.supporter_id;

-- What a payment is worth now. Stored, and kept by the triggers below: `refunded`, what its
-- refunds (or its charges' own figures) give back, and `disputed`, what its disputes hold
-- back. Derived from those: `amount_refunded` (at most the amount), the status the payments
-- list shows (`paid`, `refunded`, `disputed`, `failed`) and `net`, what it adds to its
-- supporter's total.
ALTER TABLE support_payments ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE support_payments ADD COLUMN disputed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE support_payments ADD COLUMN amount_refunded INTEGER
  GENERATED ALWAYS AS (min(amount, refunded)) VIRTUAL;
ALTER TABLE support_payments ADD COLUMN listed_status TEXT GENERATED ALWAYS AS (
  CASE WHEN status = 'failed' THEN 'failed' WHEN disputed > 0 THEN 'disputed'
    WHEN amount_refunded >= amount THEN 'refunded' ELSE 'paid' END) VIRTUAL;
ALTER TABLE support_payments ADD COLUMN net INTEGER GENERATED ALWAYS AS (
  CASE WHEN status = 'paid' THEN max(0, amount - amount_refunded - disputed) ELSE 0 END) VIRTUAL;

-- A one-time supporter's gifts, read when their status is recomputed.
CREATE INDEX support_payments_gifts ON support_payments (supporter_id) WHERE kind = 'gift';

-- The payment intents of each payment: a gift's own, or those linked to its invoice.
CREATE VIEW support_payment_intents (payment_id, payment_intent_id) AS
SELECT id, payment_intent_id FROM support_payments WHERE payment_intent_id IS NOT NULL
UNION ALL
SELECT p.id, l.payment_intent_id
FROM support_invoice_payments l JOIN support_payments p ON p.invoice_id = l.invoice_id;

-- What each payment's refunds and disputes amount to, from the rows alone. Refunds count
-- while `pending` or `succeeded`; a charge's own cumulative figure counts only where no refund
-- object of that charge is known; a dispute counts while it holds money back (opened as a
-- chargeback, or its funds withdrawn, and neither won nor reinstated).
CREATE VIEW support_payment_worth (id, refunded, disputed) AS
SELECT p.id,
  COALESCE((SELECT sum(r.amount) FROM support_refunds r
    WHERE r.status IN ('pending', 'succeeded') AND r.payment_intent_id IN
      (SELECT i.payment_intent_id FROM support_payment_intents i WHERE i.payment_id = p.id)), 0)
  + COALESCE((SELECT sum(ch.amount_refunded) FROM support_charges ch
    WHERE ch.payment_intent_id IN
      (SELECT i.payment_intent_id FROM support_payment_intents i WHERE i.payment_id = p.id)
      AND NOT EXISTS (SELECT 1 FROM support_refunds r WHERE r.charge_id = ch.id)), 0),
  COALESCE((SELECT sum(d.amount) FROM support_disputes d
    WHERE d.funds_reinstated = 0 AND d.status <> 'won'
      AND (d.funds_withdrawn = 1 OR d.status IN ('needs_response', 'under_review', 'lost'))
      AND d.payment_intent_id IN
        (SELECT i.payment_intent_id FROM support_payment_intents i WHERE i.payment_id = p.id)), 0)
FROM support_payments p;

UPDATE support_payments SET (refunded, disputed) =
  (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id);

-- What each supporter gave, per currency, net of refunds and of disputes holding money back:
-- the sum of their payments' `net`.
CREATE TABLE supporter_totals (
  supporter_id TEXT NOT NULL REFERENCES supporters (id),
  currency TEXT NOT NULL,
  net INTEGER NOT NULL,
  PRIMARY KEY (supporter_id, currency)
) WITHOUT ROWID;

INSERT INTO supporter_totals (supporter_id, currency, net)
SELECT supporter_id, currency, sum(net) FROM support_payments
WHERE supporter_id IS NOT NULL GROUP BY supporter_id, currency;

UPDATE supporters SET lifetime_amount = COALESCE((SELECT t.net FROM supporter_totals t
  WHERE t.supporter_id = supporters.id AND t.currency = supporters.currency), 0);

-- The triggers. A change to a row that a payment's supporter, a payment's worth or a
-- supporter's total is derived from recomputes only what that row reaches, or moves a total by
-- the difference: an event costs the same however long the history behind it, and the derived
-- values are right whoever writes the rows, in whatever order.

-- A new payment adds its net to its supporter's total in its currency, and takes the worth of
-- the facts already known about its payment intents (only a payment with payment intents can
-- have refunds or disputes). Writers give a payment its customer's supporter when the customer
-- is linked (PAYMENT_SUPPORTER in src/support/people.ts).
CREATE TRIGGER support_payments_insert AFTER INSERT ON support_payments
BEGIN
  INSERT INTO supporter_totals (supporter_id, currency, net)
  SELECT NEW.supporter_id, NEW.currency, NEW.net
  WHERE NEW.supporter_id IS NOT NULL AND NEW.net <> 0
  ON CONFLICT (supporter_id, currency) DO UPDATE SET net = net + excluded.net;
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = NEW.id)
  WHERE id = NEW.id AND (NEW.payment_intent_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM support_invoice_payments l WHERE l.invoice_id = NEW.invoice_id));
END;

-- A changed payment takes its old contribution away and adds its new one. Adding and taking
-- away commute, so the order in which triggers fire does not matter.
CREATE TRIGGER support_payments_update
AFTER UPDATE OF amount, status, refunded, disputed, supporter_id, currency ON support_payments
WHEN (OLD.net, OLD.supporter_id, OLD.currency) IS NOT (NEW.net, NEW.supporter_id, NEW.currency)
BEGIN
  INSERT INTO supporter_totals (supporter_id, currency, net)
  SELECT supporter_id, currency, net FROM (
    SELECT OLD.supporter_id AS supporter_id, OLD.currency AS currency, -OLD.net AS net
    UNION ALL SELECT NEW.supporter_id, NEW.currency, NEW.net)
  WHERE supporter_id IS NOT NULL AND net <> 0
  ON CONFLICT (supporter_id, currency) DO UPDATE SET net = net + excluded.net;
END;

CREATE TRIGGER support_payments_delete AFTER DELETE ON support_payments
BEGIN
  INSERT INTO supporter_totals (supporter_id, currency, net)
  SELECT OLD.supporter_id, OLD.currency, -OLD.net
  WHERE OLD.supporter_id IS NOT NULL AND OLD.net <> 0
  ON CONFLICT (supporter_id, currency) DO UPDATE SET net = net + excluded.net;
END;

-- A payment belongs to its customer's supporter once the customer is linked to one: linking a
-- customer (or linking it anew) moves its payments, and their contributions with them.
CREATE TRIGGER support_customers_insert AFTER INSERT ON support_customers
BEGIN
  UPDATE support_payments SET supporter_id = NEW.supporter_id
  WHERE customer_id = NEW.id AND supporter_id IS NOT NEW.supporter_id;
END;

CREATE TRIGGER support_customers_update AFTER UPDATE OF supporter_id ON support_customers
BEGIN
  UPDATE support_payments SET supporter_id = NEW.supporter_id
  WHERE customer_id = NEW.id AND supporter_id IS NOT NEW.supporter_id;
END;

CREATE TRIGGER support_payments_customer AFTER UPDATE OF customer_id ON support_payments
BEGIN
  UPDATE support_payments SET supporter_id = c.supporter_id
  FROM support_customers c
  WHERE support_payments.id = NEW.id AND c.id = NEW.customer_id
    AND support_payments.supporter_id IS NOT c.supporter_id;
END;

-- A payment's worth follows every fact that reaches it through its payment intents; a refund
-- also reaches the payment of its charge, whose own figure it replaces.
CREATE TRIGGER support_invoice_payments_insert AFTER INSERT ON support_invoice_payments
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE invoice_id = NEW.invoice_id;
END;

CREATE TRIGGER support_invoice_payments_delete AFTER DELETE ON support_invoice_payments
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE invoice_id = OLD.invoice_id;
END;

CREATE TRIGGER support_refunds_insert AFTER INSERT ON support_refunds
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i WHERE i.payment_intent_id IN (
    NEW.payment_intent_id,
    (SELECT ch.payment_intent_id FROM support_charges ch WHERE ch.id = NEW.charge_id)));
END;

CREATE TRIGGER support_refunds_update
AFTER UPDATE OF charge_id, payment_intent_id, amount, status ON support_refunds
WHEN (OLD.charge_id, OLD.payment_intent_id, OLD.amount, OLD.status)
  IS NOT (NEW.charge_id, NEW.payment_intent_id, NEW.amount, NEW.status)
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i WHERE i.payment_intent_id IN (
    NEW.payment_intent_id,
    (SELECT ch.payment_intent_id FROM support_charges ch WHERE ch.id = NEW.charge_id),
    OLD.payment_intent_id,
    (SELECT ch.payment_intent_id FROM support_charges ch WHERE ch.id = OLD.charge_id)));
END;

CREATE TRIGGER support_refunds_delete AFTER DELETE ON support_refunds
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i WHERE i.payment_intent_id IN (
    OLD.payment_intent_id,
    (SELECT ch.payment_intent_id FROM support_charges ch WHERE ch.id = OLD.charge_id)));
END;

CREATE TRIGGER support_charges_insert AFTER INSERT ON support_charges
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i
    WHERE i.payment_intent_id = NEW.payment_intent_id);
END;

CREATE TRIGGER support_charges_update
AFTER UPDATE OF payment_intent_id, amount_refunded ON support_charges
WHEN (OLD.payment_intent_id, OLD.amount_refunded)
  IS NOT (NEW.payment_intent_id, NEW.amount_refunded)
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i
    WHERE i.payment_intent_id IN (NEW.payment_intent_id, OLD.payment_intent_id));
END;

CREATE TRIGGER support_charges_delete AFTER DELETE ON support_charges
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i
    WHERE i.payment_intent_id = OLD.payment_intent_id);
END;

CREATE TRIGGER support_disputes_insert AFTER INSERT ON support_disputes
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i
    WHERE i.payment_intent_id = NEW.payment_intent_id);
END;

CREATE TRIGGER support_disputes_update
AFTER UPDATE OF payment_intent_id, amount, status, funds_withdrawn, funds_reinstated
ON support_disputes
WHEN (OLD.payment_intent_id, OLD.amount, OLD.status, OLD.funds_withdrawn, OLD.funds_reinstated)
  IS NOT (NEW.payment_intent_id, NEW.amount, NEW.status, NEW.funds_withdrawn, NEW.funds_reinstated)
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i
    WHERE i.payment_intent_id IN (NEW.payment_intent_id, OLD.payment_intent_id));
END;

CREATE TRIGGER support_disputes_delete AFTER DELETE ON support_disputes
BEGIN
  UPDATE support_payments SET (refunded, disputed) =
    (SELECT w.refunded, w.disputed FROM support_payment_worth w WHERE w.id = support_payments.id)
  WHERE id IN (SELECT i.payment_id FROM support_payment_intents i
    WHERE i.payment_intent_id = OLD.payment_intent_id);
END;

-- A supporter's lifetime amount is their total in their currency: it follows that total, and
-- a supporter whose currency changes looks their total in the new one up.
CREATE TRIGGER supporter_totals_insert AFTER INSERT ON supporter_totals
BEGIN
  UPDATE supporters
  SET lifetime_amount = NEW.net, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE id = NEW.supporter_id AND currency = NEW.currency AND lifetime_amount IS NOT NEW.net;
END;

CREATE TRIGGER supporter_totals_update AFTER UPDATE OF net ON supporter_totals
BEGIN
  UPDATE supporters
  SET lifetime_amount = NEW.net, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  WHERE id = NEW.supporter_id AND currency = NEW.currency AND lifetime_amount IS NOT NEW.net;
END;

CREATE TRIGGER supporters_currency AFTER UPDATE OF currency ON supporters
WHEN OLD.currency IS NOT NEW.currency
BEGIN
  UPDATE supporters SET lifetime_amount = COALESCE((SELECT t.net FROM supporter_totals t
    WHERE t.supporter_id = NEW.id AND t.currency = NEW.currency), 0)
  WHERE id = NEW.id;
END;
