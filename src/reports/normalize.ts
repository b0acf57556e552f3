/** Query parameters that identify a campaign or a click, not the article. */
function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase()
  return lower.startsWith('utm_') || lower === 'fbclid' || lower === 'gclid'
}

function decodedName(pair: string): string {
  const name = pair.split('=', 1)[0]!.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(name)
  } catch {
    return name
  }
}

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string }

/**
 * The article's URL as we store and compare it: scheme and host lowercased, default port and
 * fragment dropped, tracking parameters removed, every other parameter kept as sent, in order.
 */
export function normalizeArticleUrl(input: string): UrlCheck {
  let url: URL
  try {
    url = new URL(input.trim())
  } catch {
    return { ok: false, message: 'must be an absolute URL' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, message: 'must be an http or https URL' }
  }
  if (url.username || url.password) return { ok: false, message: 'must not carry credentials' }
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParameter(decodedName(pair)))
  url.hash = ''
  url.search = ''
  return { ok: true, url: kept.length ? `${url.href}?${kept.join('&')}` : url.href }
}

/**
 * The grouping key of a quote: compatibility-normalised (NFKC), case-folded, without
 * punctuation, symbols or invisible format characters, white space collapsed. Two readers who
 * select the same words with other capitals, quotes or spacing get the same key.
 */
export function foldQuote(quote: string): string {
  return (
    quote
      .normalize('NFKC')
      // Upper then lower is a full case fold: ß meets SS, final ς meets σ.
      .toUpperCase()
      .toLowerCase()
      .replace(/[\p{P}\p{S}\p{Cf}]+/gu, '')
      .replace(/\s+/gu, ' ')
      .trim()
  )
}
