-- A reader's report no longer feeds the search index as it is written: the index catches up
-- with the new submissions when an editor searches (in the same batch, so search is never
-- behind) and in the hourly job (so the catch-up stays small). A submission's write is lighter
-- by a full-text insert, the costliest part of it.
--
-- The index is keyed by the submission's rowid, and `search_state` holds the highest rowid it
-- holds. Submissions are never deleted, so rowids only grow. A migration that rebuilds
-- `submissions` must rebuild `report_search` and reset `search_state` with it.
--
-- The table is rebuilt without `contentless_unindexed` (not confirmed on D1): it keeps nothing
-- but the words, and the report is found through the submission.
DROP TRIGGER submissions_search;
DROP TABLE report_search;

CREATE VIRTUAL TABLE report_search USING fts5(
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

INSERT INTO report_search (rowid, body)
SELECT rowid, quote || ' ' || coalesce(suggestion, '') || ' ' || coalesce(comment, '') FROM submissions;

INSERT INTO search_state (id, indexed_upto)
VALUES (1, coalesce((SELECT max(rowid) FROM submissions), 0));
