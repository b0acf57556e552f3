-- The contract at every edge: the corrections feed names articles only by what an editor
-- wrote, and readers' personal data is erased on time or on request.

-- The article's title as the editor publishing the correction gave it. The feed shows it (or the
-- article's URL), never the title a reader typed, which `title` keeps for the editors.
ALTER TABLE corrections ADD COLUMN article_title TEXT;

-- A report named as another's original cannot become a duplicate itself: the check looks
-- reports up by `duplicate_of`.
CREATE INDEX reports_duplicate_of ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- When a report last closed (fixed, rejected, duplicate, spam); NULL while it is open. Readers'
-- emails and IP hashes are erased RETENTION_DAYS after it. Closed reports of before this
-- migration count from their last change.
ALTER TABLE reports ADD COLUMN closed_at TEXT;
UPDATE reports SET closed_at = updated_at WHERE status IN ('fixed', 'rejected', 'duplicate', 'spam');
CREATE INDEX reports_closed_at ON reports (closed_at) WHERE closed_at IS NOT NULL;

-- Erased data is NULL: a submission's IP hash and a supporter's email may now be absent. SQLite
-- cannot drop NOT NULL in place, so both tables are rebuilt with their indexes and triggers;
-- the foreign keys that name them are checked at the end of the migration.
PRAGMA defer_foreign_keys = true;

CREATE TABLE submissions_rebuilt (
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
  -- Only to tell the reader what happened; erased on request or after retention.
  email TEXT,
  -- Salted SHA-256 of the reader's network (IP_HASH_SALT); erased after retention.
  ip_hash TEXT,
  created_at TEXT NOT NULL
);

INSERT INTO submissions_rebuilt (id, report_id, token_hash, quote, context_before, context_after,
  suggestion, comment, kind, title, lang, email, ip_hash, created_at)
SELECT id, report_id, token_hash, quote, context_before, context_after, suggestion, comment, kind,
  title, lang, email, ip_hash, created_at
FROM submissions;

DROP TABLE submissions;
ALTER TABLE submissions_rebuilt RENAME TO submissions;

CREATE INDEX submissions_report ON submissions (report_id, created_at);
-- The admin erasure finds an address case-insensitively.
CREATE INDEX submissions_email ON submissions (lower(email)) WHERE email IS NOT NULL;

CREATE TRIGGER submissions_search AFTER INSERT ON submissions
BEGIN
  INSERT INTO report_search (report_id, body)
  VALUES (NEW.report_id, NEW.quote || ' ' || coalesce(NEW.suggestion, '') || ' ' || coalesce(NEW.comment, ''));
END;

CREATE TABLE supporters_rebuilt (
  id TEXT PRIMARY KEY,
  -- Case-folded; NULL once erased (the supporter stays listed, anonymous, with its payments).
  email TEXT UNIQUE,
  name TEXT,
  status TEXT CHECK (status IN ('active', 'past_due', 'canceled', 'one_time')),
  tier_id TEXT,
  amount INTEGER,
  currency TEXT,
  interval TEXT CHECK (interval IN ('month', 'year')),
  since TEXT,
  current_period_end TEXT,
  canceled_at TEXT,
  lifetime_amount INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  cancel_at TEXT,
  -- Set when an admin erased the person: nothing Stripe sends later gives them a name again.
  erased_at TEXT
);

INSERT INTO supporters_rebuilt (id, email, name, status, tier_id, amount, currency, interval, since,
  current_period_end, canceled_at, lifetime_amount, created_at, updated_at, cancel_at)
SELECT id, email, name, status, tier_id, amount, currency, interval, since, current_period_end,
  canceled_at, lifetime_amount, created_at, updated_at, cancel_at
FROM supporters;

DROP TABLE supporters;
ALTER TABLE supporters_rebuilt RENAME TO supporters;

CREATE INDEX supporters_since ON supporters (since, id) WHERE status IS NOT NULL;
CREATE INDEX supporters_status_since ON supporters (status, since, id);

-- Who erased an address, when, and how many rows held it; never the address itself.
CREATE TABLE erasures (
  id TEXT PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  submissions INTEGER NOT NULL,
  supporters INTEGER NOT NULL
);
