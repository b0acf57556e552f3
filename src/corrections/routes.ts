import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent, problemResponses, PUBLIC_READ_HEADERS } from '../http/openapi'
import { publicRead } from '../http/public'
import { createRouter } from '../http/router'
import { renderFeed } from './atom'
import { CorrectionJsonLdSchema, correctionsJsonLd, scriptSafeJson } from './jsonld'
import { CorrectionListSchema, CorrectionQuerySchema } from './schemas'
import { correctionsForArticle, latestCorrections } from './store'

export const corrections = createRouter()

const FEED_SIZE = 50

const forArticle = createRoute({
  method: 'get',
  path: '/v1/corrections',
  tags: ['Readers'],
  summary: 'The corrections published for one article',
  description: 'Newest first. Cacheable and open to any origin, so article pages can show them.',
  middleware: [publicRead(60)] as const,
  request: { query: CorrectionQuerySchema },
  responses: {
    200: {
      description: 'The article’s corrections.',
      headers: PUBLIC_READ_HEADERS,
      content: jsonContent(CorrectionListSchema),
    },
    ...problemResponses(400),
  },
})

corrections.openapi(forArticle, async (c) => {
  const rows = await correctionsForArticle(c.env.DB, c.req.valid('query').url)
  const items = rows.map(({ id, url, kind, text, published_at }) => ({
    id,
    url,
    kind,
    text,
    published_at,
  }))
  return c.json({ items }, 200)
})

const jsonLd = createRoute({
  method: 'get',
  path: '/v1/corrections/jsonld',
  tags: ['Readers'],
  summary: 'The corrections of one article as schema.org JSON-LD',
  description:
    'For sites that render the article on the server: the same corrections as `GET /v1/corrections`, newest first, as schema.org `CorrectionComment`s of the article’s `NewsArticle`. An article without corrections gets an empty `correction` list, not a 404, so a page can include the answer without checking it. `<`, `>` and `&` in strings are escaped (`\\u003c`…), so the body can go inside `<script type="application/ld+json">` as it is.',
  middleware: [publicRead(60), scriptSafeJson()] as const,
  request: { query: CorrectionQuerySchema },
  responses: {
    200: {
      description: 'The article and its corrections, as JSON-LD.',
      headers: PUBLIC_READ_HEADERS,
      content: { 'application/ld+json': { schema: CorrectionJsonLdSchema } },
    },
    ...problemResponses(400),
  },
})

corrections.openapi(jsonLd, async (c) => {
  const { url } = c.req.valid('query')
  const document = correctionsJsonLd(url, await correctionsForArticle(c.env.DB, url))
  return c.json(document, 200, { 'Content-Type': 'application/ld+json; charset=utf-8' })
})

const feed = createRoute({
  method: 'get',
  path: '/v1/corrections/feed.atom',
  tags: ['Readers'],
  summary: 'Atom feed of the latest corrections across the site',
  middleware: [publicRead(300)] as const,
  responses: {
    200: {
      description: `The latest ${FEED_SIZE} corrections (RFC 4287).`,
      headers: PUBLIC_READ_HEADERS,
      content: { 'application/atom+xml': { schema: z.string() } },
    },
  },
})

corrections.openapi(feed, async (c) => {
  const rows = await latestCorrections(c.env.DB, FEED_SIZE)
  const [firstSite] = c.get('config').allowedOrigins
  const site = firstSite ? new URL(firstSite).hostname : 'readerdesk'
  const body = renderFeed(new URL('/v1/corrections/feed.atom', c.req.url), site, rows, new Date())
  return c.body(body, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' })
})
