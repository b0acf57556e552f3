-- Supporters: the tiers readers can choose, the people who support the newsroom, and what
-- Stripe's webhook events told us about their subscriptions, payments, refunds and disputes.
-- Money is an integer in the currency's minor unit with a lowercase ISO 4217 code beside it.
-- Timestamps are ISO 8601 UTC strings of fixed width, so text order is time order; Stripe's
-- own event times stay integers (Unix seconds), as Stripe sends them.

CREATE TABLE tiers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  amount INTEGER NOT NULL CHECK (amount >= 100),
  currency TEXT NOT NULL CHECK (length(currency) = 3 AND currency = lower(currency)),
  interval TEXT NOT NULL CHECK (interval IN ('month', 'year')),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The public list: active tiers, cheapest first.
CREATE INDEX tiers_active_amount ON tiers (active, amount, created_at, id);

-- One person, keyed by case-folded email, whatever number of Stripe customers they have.
-- The columns after `name` are derived from the support_* rows below and recomputed in the
-- same batch as every event that touches this person; `status` NULL means "not (yet) a
-- supporter" (an unpaid checkout, a subscription Stripe has not told us about yet).
CREATE TABLE supporters (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  status TEXT CHECK (status IN ('active', 'past_due', 'canceled', 'one_time')),
  tier_id TEXT,
  amount INTEGER,
  currency TEXT,
  interval TEXT CHECK (interval IN ('month', 'year')),
  since TEXT,
  current_period_end TEXT,
  canceled_at TEXT,
  -- Net of refunds and open or lost disputes, in `currency`.
  lifetime_amount INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The editors' list: newest supporters first, optionally by status.
CREATE INDEX supporters_since ON supporters (since, id) WHERE status IS NOT NULL;
CREATE INDEX supporters_status_since ON supporters (status, since, id);

-- Which supporter a Stripe customer is. The first link wins.
CREATE TABLE support_customers (
  id TEXT PRIMARY KEY,
  supporter_id TEXT NOT NULL REFERENCES supporters (id),
  created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX support_customers_supporter ON support_customers (supporter_id);

-- Subscriptions created by our checkouts. `status` and the fields beside it come only from
-- customer.subscription.* events, and only from the newest one (`state_event_created`; on a
-- tie the later delivery wins); a canceled subscription is never revived. `checkout_state`
-- comes from checkout.session.* events: an `unpaid` or `failed` checkout keeps the
-- subscription from making anyone a supporter.
CREATE TABLE support_subscriptions (
  id TEXT PRIMARY KEY,
  customer_id TEXT,
  tier_id TEXT,
  status TEXT,
  amount INTEGER,
  currency TEXT,
  interval TEXT,
  started_at TEXT,
  current_period_end TEXT,
  canceled_at TEXT,
  state_event_created INTEGER,
  checkout_state TEXT CHECK (checkout_state IN ('unpaid', 'paid', 'failed')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE INDEX support_subscriptions_customer ON support_subscriptions (customer_id);
CREATE INDEX support_subscriptions_status ON support_subscriptions (status);

-- One row per invoice (a subscription's payment) or per one-time payment intent (a gift);
-- the id is Stripe's. `status` is the payment's own outcome; whether it is shown as
-- refunded or disputed is derived from support_charges.
CREATE TABLE support_payments (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('subscription', 'gift')),
  invoice_id TEXT UNIQUE,
  payment_intent_id TEXT UNIQUE,
  subscription_id TEXT,
  customer_id TEXT,
  supporter_id TEXT REFERENCES supporters (id),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
  created_at TEXT NOT NULL
);

-- The editors' list (newest first) and the lookups that find a payment's supporter.
CREATE INDEX support_payments_created ON support_payments (created_at, id);
CREATE INDEX support_payments_customer ON support_payments (customer_id);
CREATE INDEX support_payments_supporter ON support_payments (supporter_id);

-- Which payment intent paid an invoice (invoice_payment.paid). Kept whether or not the
-- invoice is known yet, because the two events arrive in any order; rows whose invoice
-- never turns out to be ours are purged after 30 days.
CREATE TABLE support_invoice_payments (
  invoice_id TEXT NOT NULL,
  payment_intent_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (invoice_id, payment_intent_id)
) WITHOUT ROWID;

CREATE INDEX support_invoice_payments_intent ON support_invoice_payments (payment_intent_id);
CREATE INDEX support_invoice_payments_created ON support_invoice_payments (created_at);

-- Refunds and disputes, per charge: `amount_refunded` is Stripe's cumulative figure (the
-- largest seen wins, so late partial refunds change nothing); a closed dispute stays closed.
-- Like the links above, facts about charges that never turn out to be ours are purged.
CREATE TABLE support_charges (
  id TEXT PRIMARY KEY,
  payment_intent_id TEXT NOT NULL,
  amount_refunded INTEGER NOT NULL DEFAULT 0,
  dispute_status TEXT CHECK (dispute_status IN ('open', 'won', 'lost')),
  dispute_amount INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
);

CREATE INDEX support_charges_intent ON support_charges (payment_intent_id);
CREATE INDEX support_charges_created ON support_charges (created_at);

-- Every Stripe event that took effect, inserted in the same batch as its effect: a second
-- delivery fails on the primary key and so changes nothing.
CREATE TABLE support_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  created INTEGER NOT NULL,
  received_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX support_events_received ON support_events (received_at);
