-- The contract at every edge: the corrections feed names articles only by what an editor
-- wrote, and readers' personal data is erased on time or on request.

-- The article's title as the editor publishing the correction gave it. The feed shows it (or the
-- article's URL), never the title a reader typed, which `title` keeps for the editors.
ALTER TABLE corrections ADD COLUMN article_title TEXT;

-- A report named as another's original cannot become a duplicate itself: the check looks
-- reports up by `duplicate_of`.
CREATE INDEX reports_duplicate_of ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;
