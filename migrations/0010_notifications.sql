-- Notifications (API.md "Notifications"): readers' emails and the newsroom's webhooks, sent by
-- the Queue consumer after the write that caused them committed.

-- The origin that answered the reader's report: the links in their emails use it.
ALTER TABLE submissions ADD COLUMN reply_origin TEXT;

-- Status tokens minted for readers' emails. Only the hash of the first token is stored on the
-- submission, so each email carries a token of its own; both open the status link and the
-- page that erases the reader's email. Only hashes are stored.
CREATE TABLE submission_tokens (
  token_hash TEXT PRIMARY KEY,
  submission_id TEXT NOT NULL,
  created_at TEXT NOT NULL
) WITHOUT ROWID;

-- One row per reader and outcome: the key that keeps a redelivered queue message from
-- emailing a reader twice. `sending` is a claim that lapses at `claimed_until`, so a consumer
-- that died mid-send is retried; `sent` and `skipped` (no email left, or spam) are final.
CREATE TABLE reader_emails (
  submission_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('correction', 'rejected')),
  state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'skipped')),
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_until TEXT,
  message_id TEXT,
  error TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (submission_id, outcome)
) WITHOUT ROWID;

-- Endpoints admins registered. The secret (`whsec_` + base64) signs every delivery, so it is
-- kept; the API shows it once, when the endpoint is created.
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  -- JSON array of the event types it receives.
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
);

-- One row per attempt to deliver a message to an endpoint; removed with the endpoint.
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event TEXT NOT NULL,
  message_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  status_code INTEGER,
  error TEXT,
  -- `retrying`: another attempt follows; `failed`: this was the last.
  outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed')),
  at TEXT NOT NULL
);

CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, at, id);
CREATE INDEX webhook_deliveries_at ON webhook_deliveries (at);

-- Supporters whose status changed in the batch that is running: the Stripe webhook's batch ends
-- by deleting every row here and queues `supporter.started` or `supporter.canceled` for what
-- it deleted, so a row lives only inside the transaction that wrote it (see
-- src/support/ledger.ts). A change made by any other write waits here for the next event.
CREATE TABLE supporter_transitions (
  supporter_id TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT
);

CREATE TRIGGER supporters_status_transition AFTER UPDATE OF status ON supporters
WHEN OLD.status IS NOT NEW.status
BEGIN
  INSERT INTO supporter_transitions (supporter_id, from_status, to_status)
  VALUES (NEW.id, OLD.status, NEW.status);
END;
