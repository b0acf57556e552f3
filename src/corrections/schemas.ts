import { z } from '@hono/zod-openapi'
import { ArticleUrlSchema, CorrectionKindSchema } from '../reports/schemas'

export const CorrectionSchema = z
  .object({
    id: z.string(),
    url: z.string().openapi({ description: 'The article, normalised.' }),
    kind: CorrectionKindSchema,
    text: z.string(),
    published_at: z.string(),
  })
  .openapi('Correction')

export const PublishedCorrectionSchema = CorrectionSchema.extend({
  report_id: z.string(),
  title: z.string().nullable().openapi({ description: 'The article title readers gave, if any.' }),
  article_title: z.string().nullable().openapi({
    description:
      'The article title the editor gave when publishing; the feed shows it, else the URL.',
  }),
}).openapi('PublishedCorrection')

export const CorrectionListSchema = z
  .object({ items: z.array(CorrectionSchema) })
  .openapi('CorrectionList')

export const CorrectionQuerySchema = z.object({
  url: ArticleUrlSchema.openapi({
    param: { name: 'url', in: 'query' },
    description: 'The article’s URL; normalised like a report’s.',
  }),
})
