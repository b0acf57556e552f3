import { z } from '@hono/zod-openapi'
import { NOT_BLANK } from '../http/openapi'
import { enumListParam } from '../http/query'
import { PageQuerySchema, pageSchema } from '../http/paging'
import { freeText } from '../http/text'
import {
  ArticleUrlSchema,
  CorrectionKindSchema,
  REPORT_STATUSES,
  ReportKindSchema,
  ReportStatusSchema,
} from '../reports/schemas'

export const ReportItemSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    title: z.string().nullable(),
    quote: z.string(),
    context_before: z.string().nullable(),
    context_after: z.string().nullable(),
    kind: ReportKindSchema,
    lang: z.string().nullable(),
    status: ReportStatusSchema,
    assignee: z.string().nullable(),
    submissions: z.number().int(),
    first_reported_at: z.string(),
    last_reported_at: z.string(),
    updated_at: z.string(),
    duplicate_of: z.string().nullable(),
    correction_id: z.string().nullable(),
  })
  .openapi('ReportItem')

export type ReportRow = z.infer<typeof ReportItemSchema>

export const SubmissionItemSchema = z
  .object({
    id: z.string(),
    suggestion: z.string().nullable(),
    comment: z.string().nullable(),
    email: z.string().nullable(),
    created_at: z.string(),
    quote: z.string().openapi({ description: 'The words this reader selected.' }),
    kind: ReportKindSchema,
  })
  .openapi('SubmissionItem')

export type SubmissionRow = z.infer<typeof SubmissionItemSchema>

export const ReportEventSchema = z
  .object({
    at: z.string(),
    actor: z.string().openapi({ description: 'The editor’s name, or "admin" for ADMIN_TOKEN.' }),
    action: z.enum(['status', 'assign', 'note', 'correction']),
    from: z.string().nullable(),
    to: z.string().nullable(),
    note: z.string().nullable(),
  })
  .openapi('ReportEvent')

export type EventRow = z.infer<typeof ReportEventSchema>

export const ReportDetailSchema = ReportItemSchema.extend({
  submission_list: z.array(SubmissionItemSchema),
  events: z
    .array(ReportEventSchema)
    .openapi({ description: 'Every change, oldest first; never edited.' }),
}).openapi('ReportDetail')

export const ReportPageSchema = pageSchema(ReportItemSchema).openapi('ReportPage')

const StatusListSchema = enumListParam('status', REPORT_STATUSES, {
  description: 'Comma-separated statuses; without it, every status but `spam`.',
  example: 'new,triaged',
})

const queryText = (name: string, max: number, description: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .optional()
    .openapi({ param: { name, in: 'query' }, description, ...NOT_BLANK })

export const REPORT_SORTS = ['newest', 'oldest', 'most_reported'] as const

export const ReportListQuerySchema = PageQuerySchema.extend({
  status: StatusListSchema,
  kind: ReportKindSchema.optional().openapi({ param: { name: 'kind', in: 'query' } }),
  url: ArticleUrlSchema.optional().openapi({
    param: { name: 'url', in: 'query' },
    description: 'The article, normalised like a report’s URL.',
  }),
  q: queryText(
    'q',
    200,
    'Words to find in quotes, suggestions and comments (prefix match, all words).',
  ),
  assignee: queryText('assignee', 100, 'The assignee’s name, exactly.'),
  sort: z
    .enum(REPORT_SORTS)
    .default('newest')
    .openapi({
      param: { name: 'sort', in: 'query' },
      description: 'newest and oldest by first report; most_reported by readers.',
    }),
})

export type ReportListQuery = z.infer<typeof ReportListQuerySchema>

export const ReportPatchSchema = z
  .object({
    status: ReportStatusSchema.optional(),
    assignee: freeText(100, { required: true })
      .nullable()
      .optional()
      .openapi({ type: ['string', 'null'], description: 'A name, or null to unassign.' }),
    note: freeText(2000, { required: true }).optional(),
    duplicate_of: z
      .string()
      .max(64)
      .nullable()
      .optional()
      .openapi({ description: 'With status "duplicate": the report this one repeats.' }),
  })
  .strict()
  .openapi('ReportPatch')

export const IfMatchHeadersSchema = z.object({
  'if-match': z
    .string()
    .max(200)
    .optional()
    .openapi({ description: 'The ETag you last saw; 412 when the report changed since.' }),
})

export const CorrectionInputSchema = z
  .object({
    text: freeText(2000, { required: true }).openapi({
      description: 'The correction as readers will see it.',
    }),
    kind: CorrectionKindSchema,
    article_title: freeText(300)
      .nullish()
      .transform((value) => value || undefined)
      .openapi({
        type: ['string', 'null'],
        maxLength: 300,
        description:
          'The article’s title as the newsroom publishes it, for the corrections feed; without it the feed names the article by its URL.',
      }),
  })
  .openapi('CorrectionInput')

const countsBy = (description: string) =>
  z.record(z.string(), z.number().int()).openapi({ description })

export const StatsSchema = z
  .object({
    reports: z.object({
      by_status: countsBy('Reports per status, every status present.'),
      by_kind: countsBy('Reports per kind, every kind present.'),
    }),
    median_hours_to_triage: z
      .number()
      .nullable()
      .openapi({ description: 'From first report to the first editor decision; null before any.' }),
    median_hours_to_fix: z
      .number()
      .nullable()
      .openapi({ description: 'From first report to fixed; null before any.' }),
    supporters: z.object({
      active: z.number().int().openapi({ description: 'Active and past-due supporters.' }),
      monthly_recurring: z
        .array(z.object({ currency: z.string(), amount: z.number().int() }))
        .openapi({ description: 'Per currency, in minor units; yearly plans count as a twelfth.' }),
    }),
  })
  .openapi('Stats')
