// The editors' list at scale: reports seeded in SQL, spread over articles, kinds, statuses and
// time, and the cursor a client would hold deep down the list.
import { SITE } from './readers.mjs'

/** Fills the reports table to `total` rows in SQL, spread over articles, statuses and time. */
export async function seedReports(db, from, total) {
  for (let start = from; start < total; start += 20_000) {
    const end = Math.min(total, start + 20_000)
    await db
      .prepare(
        `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
         INSERT INTO reports (id, url, quote, quote_key, kind, status, submissions, first_reported_at,
           last_reported_at, updated_at, etag)
         SELECT printf('rep_seed_%08d', n), '${SITE}/archive/' || (n % 5000), 'seeded quote ' || n, 'seeded quote ' || n,
           CASE n % 5 WHEN 0 THEN 'typo' WHEN 1 THEN 'factual' WHEN 2 THEN 'clarification' WHEN 3 THEN 'translation' ELSE 'other' END,
           CASE n % 10 WHEN 0 THEN 'triaged' WHEN 1 THEN 'fixed' WHEN 2 THEN 'rejected' WHEN 3 THEN 'spam' ELSE 'new' END,
           1 + n % 7,
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + n * 60, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + n * 60, 'unixepoch'),
           strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + n * 60, 'unixepoch'),
           lower(hex(randomblob(12)))
         FROM seq`,
      )
      .bind(start + 1, end)
      .run()
  }
}

/** The cursor the API would issue after the row at `fraction` of the default list. */
export async function deepCursor(db, fraction) {
  const { n } = await db.prepare("SELECT count(*) AS n FROM reports WHERE status <> 'spam'").first()
  const row = await db
    .prepare(
      "SELECT first_reported_at, id FROM reports WHERE status <> 'spam' ORDER BY first_reported_at DESC, id DESC LIMIT 1 OFFSET ?",
    )
    .bind(Math.floor(n * fraction))
    .first()
  const cursor = Buffer.from(
    JSON.stringify({ v: 1, s: 'reports:newest', k: [row.first_reported_at, row.id] }),
  ).toString('base64url')
  return encodeURIComponent(cursor)
}

export async function count(db, table) {
  return (await db.prepare(`SELECT count(*) AS n FROM ${table}`).first()).n
}
