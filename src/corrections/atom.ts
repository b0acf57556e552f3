import type { CorrectionRow } from './store'

/** XML 1.0 cannot carry most control characters even escaped; they are dropped. */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (char) => ENTITIES[char]!)
}

const KIND_TITLES: Record<CorrectionRow['kind'], string> = {
  correction: 'Correction',
  clarification: 'Clarification',
  update: 'Update',
}

/**
 * Tag URIs (RFC 4151) named after the newsroom's site, never after the host the feed was
 * fetched from, so the ids stay the same at workers.dev and at the custom domain.
 */
const feedId = (site: string) => `tag:${site},2026:corrections`

const entryId = (site: string, correction: CorrectionRow) =>
  `tag:${site},${correction.published_at.slice(0, 10)}:corrections/${correction.id}`

/**
 * The site-wide corrections feed (RFC 4287), newest first. `site` names the newsroom in the
 * ids; an entry's title is the editor's article title, else the article's URL, never text a
 * reader sent.
 */
export function renderFeed(
  feedUrl: URL,
  site: string,
  corrections: CorrectionRow[],
  now: Date,
): string {
  const updated = corrections[0]?.published_at ?? now.toISOString()
  const entries = corrections.map((correction) => {
    const about = correction.article_title ?? correction.url
    return `  <entry>
    <id>${escapeXml(entryId(site, correction))}</id>
    <title type="text">${escapeXml(`${KIND_TITLES[correction.kind]}: ${about}`)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(correction.url)}"/>
    <published>${correction.published_at}</published>
    <updated>${correction.published_at}</updated>
    <category term="${correction.kind}"/>
    <content type="text">${escapeXml(correction.text)}</content>
  </entry>`
  })
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(feedId(site))}</id>
  <title type="text">Corrections</title>
  <subtitle type="text">Corrections and clarifications published by the newsroom, newest first.</subtitle>
  <link rel="self" type="application/atom+xml" href="${escapeXml(feedUrl.href)}"/>
  <updated>${updated}</updated>
  <author><name>Corrections desk</name></author>
  <generator>readerdesk</generator>
${entries.join('\n')}
</feed>
`
}
