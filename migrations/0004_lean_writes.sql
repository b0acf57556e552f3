-- Lighter writes for the hot path (see the benchmark in the README): a reader's submission
-- no longer feeds an index nobody reads, and the search index keeps only what search needs.

-- The editors' list reads per-status ranges (reports_status_first_reported); the plain time
-- index is never chosen.
DROP INDEX reports_first_reported;

-- New reports have no assignee: only assigned ones need an entry. `assignee = ?` implies
-- `assignee IS NOT NULL`, so the filter still uses it.
DROP INDEX reports_assignee_first_reported;
CREATE INDEX reports_assignee_first_reported ON reports (assignee, first_reported_at, id)
  WHERE assignee IS NOT NULL;

-- Search needs to know which reports match, nothing more: a contentless index that stores
-- only the report id (not the text, which the submissions hold), without positions (queries
-- are word prefixes, never phrases) or sizes.
DROP TRIGGER submissions_search;
DROP TABLE report_search;

CREATE VIRTUAL TABLE report_search USING fts5(
  report_id UNINDEXED,
  body,
  content = '',
  contentless_unindexed = 1,
  detail = none,
  columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO report_search (report_id, body)
SELECT report_id, quote || ' ' || coalesce(suggestion, '') || ' ' || coalesce(comment, '') FROM submissions;

CREATE TRIGGER submissions_search AFTER INSERT ON submissions
BEGIN
  INSERT INTO report_search (report_id, body)
  VALUES (NEW.report_id, NEW.quote || ' ' || coalesce(NEW.suggestion, '') || ' ' || coalesce(NEW.comment, ''));
END;
