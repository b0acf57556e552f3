-- Readers' correction reports: the triage unit (reports), every reader's own message
-- (submissions), and the plumbing that keeps submission safe to retry and hard to flood.
-- Timestamps are ISO 8601 UTC strings of fixed width, so text order is time order.

CREATE TABLE reports (
  id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  quote TEXT NOT NULL DEFAULT '',
  -- The folded quote (NFKC, case-folded, no punctuation or symbols, collapsed white space);
  -- NULL when nothing is left to group on, so comment-only reports are never merged.
  quote_key TEXT,
  context_before TEXT,
  context_after TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('typo', 'factual', 'clarification', 'translation', 'other')),
  title TEXT,
  lang TEXT,
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'triaged', 'accepted', 'fixed', 'rejected', 'duplicate', 'spam')),
  assignee TEXT,
  submissions INTEGER NOT NULL DEFAULT 1 CHECK (submissions >= 1),
  first_reported_at TEXT NOT NULL,
  last_reported_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  duplicate_of TEXT REFERENCES reports (id),
  correction_id TEXT
);

-- One open report per article and quote: a new submission upserts into it. Closed and spam
-- reports are outside the index, so a quote reported again after a fix opens a new report.
CREATE UNIQUE INDEX reports_open_quote ON reports (url, quote_key)
  WHERE status IN ('new', 'triaged', 'accepted');

-- The editors' list: newest first, optionally by status.
CREATE INDEX reports_first_reported ON reports (first_reported_at, id);
CREATE INDEX reports_status_first_reported ON reports (status, first_reported_at, id);

CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL REFERENCES reports (id),
  -- SHA-256 of the private status token; the token itself is only ever in the reader's link.
  token_hash TEXT NOT NULL,
  quote TEXT NOT NULL DEFAULT '',
  context_before TEXT,
  context_after TEXT,
  suggestion TEXT,
  comment TEXT,
  kind TEXT NOT NULL,
  title TEXT,
  lang TEXT,
  email TEXT,
  -- Salted SHA-256 of the reader's IP (IP_HASH_SALT); the raw address is never stored.
  ip_hash TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE INDEX submissions_report ON submissions (report_id, created_at);

-- Answers remembered for an Idempotency-Key: the first 201, byte for byte, for 24 hours.
CREATE TABLE idempotency_keys (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  -- SHA-256 of the request body, so the same key with another body is told apart.
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- A sliding one-minute window per bucket (a salted IP hash with a purpose prefix). Each
-- accepted request inserts a hit carrying the quota in force; the trigger refuses the hit,
-- and with it the whole batch it travels in, once the window is full. The database settles
-- concurrent requests, so the limit is exact.
CREATE TABLE rate_limit_hits (
  bucket TEXT NOT NULL,
  at INTEGER NOT NULL,
  quota INTEGER NOT NULL CHECK (quota > 0)
);

CREATE INDEX rate_limit_hits_bucket_at ON rate_limit_hits (bucket, at);

CREATE TRIGGER rate_limit_hits_quota BEFORE INSERT ON rate_limit_hits
WHEN (
  SELECT count(*) FROM rate_limit_hits WHERE bucket = NEW.bucket AND at > NEW.at - 60000
) >= NEW.quota
BEGIN
  SELECT RAISE(ABORT, 'rate_limited');
END;
