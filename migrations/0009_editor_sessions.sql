-- Sessions of the editors' web app (/admin). The browser holds a random session id in an
-- HttpOnly cookie; only its SHA-256 hash is stored here, never the editor's token. A session of
-- an editor account ends at once when that account is revoked (every request joins `editors`);
-- a session opened with ADMIN_TOKEN keeps the hash of that token and ends when it is rotated.
-- Expired rows are deleted by the hourly job, through the index on `expires_at`.
CREATE TABLE editor_sessions (
  id_hash TEXT PRIMARY KEY,
  editor_id TEXT REFERENCES editors (id),
  admin_token_hash TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  CHECK ((editor_id IS NULL) <> (admin_token_hash IS NULL))
) WITHOUT ROWID;

CREATE INDEX editor_sessions_expires ON editor_sessions (expires_at);
