-- Lighter writes for a reader's report. First, it no longer feeds the search index as it is
-- written: the index catches up with the new submissions when an editor searches (in the same
-- batch, so search is never behind) and in the hourly job (so the catch-up stays small). A
-- submission's write is lighter by a full-text insert, the costliest part of it.
--
-- The new index, `submission_search`, is keyed by the submission's rowid, and `search_state`
-- holds the highest rowid it holds. Submissions are never deleted, so rowids only grow. A
-- migration that rebuilds `submissions` must rebuild `submission_search` and reset
-- `search_state` with it. It keeps nothing but the words (no `contentless_unindexed`, which is
-- not confirmed on D1): the report is found through the submission.
--
-- Expand, then contract: `report_search` stays, no longer fed, so that the code still deployed
-- while this migration runs keeps answering its searches (`npm run deploy` migrates first); the
-- first migration of a later release drops it.
DROP TRIGGER submissions_search;

CREATE VIRTUAL TABLE submission_search USING fts5(
  body,
  content = '',
  detail = none,
  columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TABLE search_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto INTEGER NOT NULL
);

INSERT INTO submission_search (rowid, body)
SELECT rowid, quote || ' ' || coalesce(suggestion, '') || ' ' || coalesce(comment, '') FROM submissions;

INSERT INTO search_state (id, indexed_upto)
VALUES (1, coalesce((SELECT max(rowid) FROM submissions), 0));

-- Fewer rows written per report (D1 bills every row and index entry written). A rate-limit hit
-- is one row of a table clustered on its window's key, instead of a row and an index entry;
-- `nonce` tells apart two hits of one client in one millisecond (the default serves the code
-- still deployed while this runs). Hits live for a minute, so nothing is copied.
DROP TRIGGER rate_limit_hits_quota;
DROP TABLE rate_limit_hits;

CREATE TABLE rate_limit_hits (
  bucket TEXT NOT NULL,
  at INTEGER NOT NULL,
  nonce INTEGER NOT NULL DEFAULT (abs(random())),
  quota INTEGER NOT NULL CHECK (quota > 0),
  PRIMARY KEY (bucket, at, nonce)
) WITHOUT ROWID;

CREATE TRIGGER rate_limit_hits_quota BEFORE INSERT ON rate_limit_hits
WHEN (
  SELECT count(*) FROM rate_limit_hits WHERE bucket = NEW.bucket AND at > NEW.at - 60000
) >= NEW.quota
BEGIN
  SELECT RAISE(ABORT, 'rate_limited');
END;

-- Only the hourly purge looked keys up by age: it reads the day's keys whole instead, and
-- every report with a key writes one index entry less.
DROP INDEX idempotency_keys_created;
