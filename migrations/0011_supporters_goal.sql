-- The supporters' goal readers are shown (API.md "Supporters' goal"): one row at most, set and
-- removed by admins. What it stands at now is never stored: it is counted when read, as
-- /v1/supporters/stats counts, so a change of goal or of supporters shows at once.
CREATE TABLE supporters_goal (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  kind TEXT NOT NULL CHECK (kind IN ('supporters', 'monthly')),
  target INTEGER NOT NULL CHECK (target >= 1),
  -- A monthly goal is money in one currency; a count of supporters has none.
  currency TEXT CHECK ((kind = 'monthly') = (currency IS NOT NULL)),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
