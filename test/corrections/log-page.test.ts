import { beforeAll, describe, expect, it } from 'vitest'
import { call, env, SITE } from '../helpers/http'

const DAY = 86_400_000
const HOUR = 3_600_000

/** `YYYY-MM` of the month `back` months before this one. */
const monthBack = (back: number) => {
  const now = new Date()
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))
}

let rows = 0

/** A fixed report and its correction, stored with the times a test needs. */
async function stored(publishedAt: Date, delayMs: number, fields: Record<string, string> = {}) {
  rows += 1
  const id = `c-${String(rows).padStart(3, '0')}`
  const url = fields.url ?? `${SITE}/2026/log-${rows}`
  const at = publishedAt.toISOString()
  const first = new Date(publishedAt.getTime() - delayMs).toISOString()
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO reports (id, url, kind, status, first_reported_at, last_reported_at, updated_at, correction_id)
       VALUES (?, ?, 'typo', 'fixed', ?, ?, ?, ?)`,
    ).bind(`r-${id}`, url, first, first, at, id),
    env.DB.prepare(
      `INSERT INTO corrections (id, report_id, url, title, article_title, kind, text, published_at, actor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'editor')`,
    ).bind(
      id,
      `r-${id}`,
      url,
      fields.title ?? null,
      fields.articleTitle ?? null,
      fields.kind ?? 'correction',
      fields.text ?? `Fix number ${rows}.`,
      at,
    ),
  ])
  return { id, url, at }
}

const page = (query = '', headers: Record<string, string> = {}) =>
  call(`/corrections${query}`, { headers })

const unescape = (text: string) =>
  text.replace(/&#(\d+);|&amp;|&lt;|&gt;|&quot;/g, (entity, code) =>
    code
      ? String.fromCharCode(Number(code))
      : { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' }[entity]!,
  )

/** The entries of a page: article link, kind, date and text, in page order. */
function entriesOf(html: string) {
  return [...html.matchAll(/<li><article>(.*?)<\/article><\/li>/gs)].map(([, entry]) => ({
    href: unescape(/<a href="([^"]*)"/.exec(entry!)?.[1] ?? ''),
    link: unescape(/<a [^>]*>(.*?)<\/a>/s.exec(entry!)?.[1] ?? ''),
    kind: /<span class="kind">(.*?)<\/span>/.exec(entry!)![1],
    at: /<time datetime="([^"]*)"/.exec(entry!)![1],
    text: unescape(/<p class="text">(.*?)<\/p>/s.exec(entry!)![1]!),
  }))
}

const nextOf = (html: string) => {
  const href = /<a rel="next" href="([^"]*)"/.exec(html)?.[1]
  return href === undefined ? null : unescape(href)
}

const monthsOf = (html: string): Record<string, number> =>
  Object.fromEntries(
    [
      ...html.matchAll(
        /<time datetime="(\d{4}-\d{2})">[^<]*<\/time><\/th><td class="n">(\d+)<\/td>/g,
      ),
    ].map(([, month, count]) => [month, Number(count)]),
  )

const medianOf = (html: string) => /<p class="median">.*?<strong>(.*?)<\/strong>/s.exec(html)?.[1]

describe('GET /corrections before anything is published', () => {
  it('says so, with no figures yet', async () => {
    const response = await page()
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('No corrections have been published.')
    expect(medianOf(html)).toBe('no correction yet')
    expect(Object.values(monthsOf(html))).toEqual(Array(12).fill(0))
    expect(nextOf(html)).toBeNull()
  })
})

describe('GET /corrections', () => {
  // 25 corrections: 18 this month, 4 two months back, 2 eleven months back (the window's first
  // month), 1 thirteen months back (outside it). Those inside took 1..24 days from first report
  // to correction, so the median is 12.5 days; the one outside took 1000 days.
  const delays = Array.from({ length: 24 }, (_, i) => (i + 1) * DAY)
  const placed = [
    ...Array.from({ length: 18 }, (_, i) => new Date(monthBack(0).getTime() + (i + 1) * HOUR)),
    ...Array.from({ length: 4 }, (_, i) => new Date(monthBack(2).getTime() + (i + 1) * DAY)),
    ...Array.from({ length: 2 }, () => new Date(monthBack(11).getTime() + 3 * DAY)),
  ]
  const seeded: { id: string; url: string; at: string }[] = []

  beforeAll(async () => {
    // Shuffled delays, so the median is not just the middle row in time order.
    const shuffled = delays.map((_, i) => delays[(i * 7) % 24]!)
    seeded.push(await stored(new Date(monthBack(13).getTime() + DAY), 1000 * DAY))
    for (const [i, at] of placed.entries()) seeded.push(await stored(at, shuffled[i]!))
  })

  it('counts the corrections of each of the last 12 months and the median time to correct', async () => {
    const html = await (await page()).text()
    const counts = monthsOf(html)
    const month = (back: number) => monthBack(back).toISOString().slice(0, 7)
    expect(Object.keys(counts)).toEqual(Array.from({ length: 12 }, (_, back) => month(back)))
    expect(counts[month(0)]).toBe(18)
    expect(counts[month(2)]).toBe(4)
    expect(counts[month(11)]).toBe(2)
    expect(Object.values(counts).reduce((a, b) => a + b)).toBe(24)
    expect(medianOf(html)).toBe('12.5 days')
  })

  it('lists newest first, 20 a page, and the next page goes on where it stopped even as corrections arrive', async () => {
    const newestFirst = [...seeded].sort((a, b) =>
      a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1,
    )
    const first = await (await page()).text()
    const firstEntries = entriesOf(first)
    expect(firstEntries.map((entry) => entry.at)).toEqual(
      newestFirst.slice(0, 20).map((row) => row.at),
    )
    const next = nextOf(first)
    expect(next).toMatch(/^\?cursor=[\w%-]+&lang=en$/)
    // A correction published now must not shift the second page.
    await stored(new Date(Date.now() + DAY), DAY)
    const secondResponse = await page(next!)
    expect(secondResponse.status).toBe(200)
    const second = await secondResponse.text()
    expect(entriesOf(second).map((entry) => entry.href)).toEqual(
      newestFirst.slice(20).map((row) => row.url),
    )
    expect(nextOf(second)).toBeNull()
    expect(second).not.toContain('class="median"')
    expect(second).toContain('href="?lang=en">Newest corrections</a>')
  })

  it('links each entry to its article by the editor’s title, else its URL, with kind, date and text', async () => {
    const titled = await stored(new Date(Date.now() + 2 * DAY), HOUR, {
      articleTitle: 'Council budget vote',
      title: 'A title a reader typed',
      kind: 'clarification',
      text: 'The vote was 7 to 2.\nNot 6 to 3.',
    })
    const html = await (await page()).text()
    const [entry] = entriesOf(html)
    expect(entry).toEqual({
      href: titled.url,
      link: 'Council budget vote',
      kind: 'Clarification',
      at: titled.at,
      text: 'The vote was 7 to 2.\nNot 6 to 3.',
    })
    expect(html).not.toContain('A title a reader typed')
    expect(entriesOf(html)[1]!.link).toBe(entriesOf(html)[1]!.href)
  })

  it('keeps hostile text inert', async () => {
    await stored(new Date(Date.now() + 3 * DAY), HOUR, {
      articleTitle: '<img src=x onerror=alert(1)>',
      text: '</p><script>alert("x")</script>',
      url: `${SITE}/2026/hostile?a=1&b="2"`,
    })
    const html = await (await page()).text()
    expect(html).not.toMatch(/<script|<img/)
    const [entry] = entriesOf(html)
    expect(entry!.text).toBe('</p><script>alert("x")</script>')
    expect(entry!.link).toBe('<img src=x onerror=alert(1)>')
  })
})

describe('GET /corrections in the reader’s language', () => {
  it.each([
    ['?lang=es', {}, 'es', 'Correcciones publicadas por mes'],
    [
      '?lang=uk',
      { 'accept-language': 'es-ES,es;q=0.9' },
      'uk',
      'Виправлення, опубліковані за місяць',
    ],
    ['', { 'accept-language': 'uk-UA,uk;q=0.9,en;q=0.5' }, 'uk', 'Медіанний час'],
    ['?lang=fr', { 'accept-language': 'es-MX' }, 'es', 'Tiempo mediano'],
    ['?lang=de', {}, 'en', 'Corrections published per month'],
  ])('%s with %o is in %s', async (query, headers, language, words) => {
    const response = await page(query, headers)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-language')).toBe(language)
    const html = await response.text()
    expect(html).toContain(`<html lang="${language}">`)
    expect(html).toContain(words)
    expect(html).toContain(`aria-current="page">`)
  })

  it('writes months, dates and the median in that language', async () => {
    // The same median as the English page says in days, in each language's words and numerals.
    const days = /^([\d.]+) days$/.exec(medianOf(await (await page()).text())!)![1]!
    const es = await (await page('?lang=es')).text()
    expect(medianOf(es)).toBe(`${days.replace('.', ',')} días`)
    expect(es).toMatch(/<time datetime="\d{4}-\d{2}">[a-z]+ de \d{4}<\/time>/)
    const uk = await (await page('?lang=uk')).text()
    expect(medianOf(uk)).toMatch(new RegExp(`^${days.replace('.', ',')} дн`))
    expect(entriesOf(uk).some((entry) => entry.kind === 'Уточнення')).toBe(true)
    expect(nextOf(uk)).toMatch(/&lang=uk$/)
  })
})

describe('GET /corrections headers and refusals', () => {
  it('is a public page under a strict policy: no script, its one stylesheet by hash', async () => {
    const response = await page()
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    expect(response.headers.get('vary')).toContain('Accept-Language')
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const csp = response.headers.get('content-security-policy')!
    expect(csp).toMatch(/^default-src 'none'; /)
    expect(csp).not.toMatch(/script-src|unsafe-inline/)
    expect(csp).toContain("frame-ancestors 'none'")
    const html = await response.text()
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true)
    expect(html).not.toContain('<script')
    const css = /<style>(.*?)<\/style>/s.exec(html)![1]!
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css))
    const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
    expect(csp).toContain(`style-src 'sha256-${hash}'`)
  })

  const foreign = btoa(JSON.stringify({ v: 1, s: 'reports', k: ['2026-01-01', 'x'] }))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
  it.each([
    ['garbage', 'not-a-cursor!'],
    ['another list’s cursor', foreign],
    ['an overlong cursor', 'A'.repeat(2000)],
  ])('answers %s with a 400 page, not cached', async (_, cursor) => {
    const response = await page(`?cursor=${encodeURIComponent(cursor)}&lang=es`)
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const html = await response.text()
    expect(html).toContain('<html lang="es">')
    expect(html).toContain('Esta página no existe')
    expect(html).toContain('href="?lang=es"')
  })

  it('answers only GET', async () => {
    const post = await call('/corrections', { method: 'POST', body: 'x' })
    expect(post.status).toBe(404)
  })
})
