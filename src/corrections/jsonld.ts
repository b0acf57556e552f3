import { z } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { CorrectionRow } from './store'

export const CorrectionJsonLdSchema = z
  .object({
    '@context': z.literal('https://schema.org'),
    '@type': z.literal('NewsArticle'),
    url: z.string().openapi({ description: 'The article’s canonical URL, normalised.' }),
    correction: z
      .array(
        z.object({
          '@type': z.literal('CorrectionComment'),
          text: z.string(),
          datePublished: z.string().openapi({ description: 'ISO 8601, UTC.' }),
        }),
      )
      .openapi({ description: 'Newest first; empty when the article has no correction.' }),
  })
  .openapi('CorrectionJsonLd')

export type CorrectionJsonLd = z.infer<typeof CorrectionJsonLdSchema>

/** The article's corrections (newest first) as schema.org `CorrectionComment`s of its `NewsArticle`. */
export function correctionsJsonLd(url: string, rows: CorrectionRow[]): CorrectionJsonLd {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    url,
    correction: rows.map((row) => ({
      '@type': 'CorrectionComment',
      text: row.text,
      datePublished: row.published_at,
    })),
  }
}

/**
 * Rewrites a successful JSON answer with `<`, `>` and `&` as `\u003c`…: the same JSON, which
 * a page can put inside `<script type="application/ld+json">` as it is, since no text in it
 * can close the element.
 */
export function scriptSafeJson(): MiddlewareHandler {
  return async function scriptSafeJson(c, next) {
    await next()
    if (!c.res.ok) return
    const text = await c.res.text()
    c.res = new Response(
      text.replace(/[<>&]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
      c.res,
    )
  }
}
