import { getJson } from './api'
import { articleUrl } from './context'
import type { WidgetConfig } from './dialog'
import { element, shadowOn } from './dom'
import { strings } from './i18n'
import { PANEL_STYLES } from './styles'

interface Correction {
  url: string
  kind: string
  text: string
  published_at: string
}

/** The schema.org JSON-LD that tells search engines about the article's corrections. */
function addJsonLd(url: string, items: Correction[]): void {
  if (document.querySelector('script[data-readerdesk-jsonld]')) return
  const data = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    url,
    correction: items.map((item) => ({
      '@type': 'CorrectionComment',
      text: item.text,
      datePublished: item.published_at,
    })),
  }
  // Escaped so that a page saved with it can never end the script early.
  const json = JSON.stringify(data).replace(/</g, '\\u003c')
  document.head.append(
    element('script', { type: 'application/ld+json', 'data-readerdesk-jsonld': '' }, json),
  )
}

/** Shows the article's corrections, newest first, in each box; nothing when there are none. */
export async function showCorrections(config: WidgetConfig, boxes: HTMLElement[]): Promise<void> {
  const sent = articleUrl()
  const list = await getJson<{ items?: Correction[] }>(
    `${config.api}/v1/corrections?url=${encodeURIComponent(sent)}`,
  )
  const items = list?.items
  if (!items?.length) return
  const t = strings(config.language)
  const kinds: Record<string, string> = t.correctionKinds
  const date = new Intl.DateTimeFormat(config.language, { dateStyle: 'long' })
  for (const box of boxes) {
    shadowOn(box, PANEL_STYLES).append(
      element(
        'section',
        { lang: config.language },
        element('h2', {}, t.corrections),
        element(
          'ol',
          {},
          ...items.map((item) =>
            element(
              'li',
              {},
              element('b', {}, kinds[item.kind] ?? item.kind),
              ' ',
              element(
                'time',
                { datetime: item.published_at },
                date.format(new Date(item.published_at)),
              ),
              element('p', {}, item.text),
            ),
          ),
        ),
      ),
    )
  }
  addJsonLd(items[0]?.url || sent, items)
}
