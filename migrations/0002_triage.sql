-- Editors' triage: accounts, the report workflow and its history, published corrections,
-- text search, and the indexes behind every filter and sort of the editors' list.

CREATE TABLE editors (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
  -- SHA-256 of the bearer token; the token is shown once and never stored.
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT
);

CREATE UNIQUE INDEX editors_active_email ON editors (lower(email)) WHERE revoked_at IS NULL;
CREATE INDEX editors_created ON editors (created_at, id);

-- Changes on every write to a report (PATCH, correction, a reader joining), so If-Match can
-- tell a stale editor from a current one, and a conditional UPDATE can tell which write won.
ALTER TABLE reports ADD COLUMN etag TEXT NOT NULL DEFAULT '';
UPDATE reports SET etag = lower(hex(randomblob(12)));
-- When an editor first moved the report out of `new`, and when it was first fixed (stats).
ALTER TABLE reports ADD COLUMN triaged_at TEXT;
ALTER TABLE reports ADD COLUMN fixed_at TEXT;

CREATE INDEX reports_status_submissions ON reports (status, submissions, id);
CREATE INDEX reports_kind_status_first_reported ON reports (kind, status, first_reported_at, id);
CREATE INDEX reports_url_first_reported ON reports (url, first_reported_at, id);
CREATE INDEX reports_assignee_first_reported ON reports (assignee, first_reported_at, id);
CREATE INDEX reports_triaged ON reports (triaged_at) WHERE triaged_at IS NOT NULL;
CREATE INDEX reports_fixed ON reports (fixed_at) WHERE fixed_at IS NOT NULL;

-- The history of a report. Append-only: the triggers refuse any edit or deletion.
CREATE TABLE report_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  report_id TEXT NOT NULL REFERENCES reports (id),
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('status', 'assign', 'note', 'correction')),
  from_value TEXT,
  to_value TEXT,
  note TEXT
);

CREATE INDEX report_events_report ON report_events (report_id, id);

CREATE TRIGGER report_events_no_update BEFORE UPDATE ON report_events
BEGIN
  SELECT RAISE(ABORT, 'report events are append-only');
END;

CREATE TRIGGER report_events_no_delete BEFORE DELETE ON report_events
BEGIN
  SELECT RAISE(ABORT, 'report events are append-only');
END;

-- Published corrections: at most one per report, never withdrawn.
CREATE TABLE corrections (
  id TEXT PRIMARY KEY,
  report_id TEXT NOT NULL UNIQUE REFERENCES reports (id),
  url TEXT NOT NULL,
  title TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('correction', 'clarification', 'update')),
  text TEXT NOT NULL,
  published_at TEXT NOT NULL,
  actor TEXT NOT NULL
);

CREATE INDEX corrections_url_published ON corrections (url, published_at, id);
CREATE INDEX corrections_published ON corrections (published_at, id);

CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
BEGIN
  SELECT RAISE(ABORT, 'published corrections are never changed');
END;

CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
BEGIN
  SELECT RAISE(ABORT, 'published corrections are never withdrawn');
END;

-- Full-text search over what readers sent (quote, suggestion, comment), one row per
-- submission, filled by a trigger so the submission batch needs no extra statement.
CREATE VIRTUAL TABLE report_search USING fts5(
  report_id UNINDEXED,
  body,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO report_search (report_id, body)
SELECT report_id, quote || ' ' || coalesce(suggestion, '') || ' ' || coalesce(comment, '') FROM submissions;

CREATE TRIGGER submissions_search AFTER INSERT ON submissions
BEGIN
  INSERT INTO report_search (report_id, body)
  VALUES (NEW.report_id, NEW.quote || ' ' || coalesce(NEW.suggestion, '') || ' ' || coalesce(NEW.comment, ''));
END;
