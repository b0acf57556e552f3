import { z } from '@hono/zod-openapi'
import { PageQuerySchema, pageSchema } from '../http/paging'
import { REPORT_STATUSES, ReportKindSchema, ReportStatusSchema, type ReportStatus } from '../reports/schemas'

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

export const ReportDetailSchema = ReportItemSchema.extend({
  submission_list: z.array(SubmissionItemSchema),
}).openapi('ReportDetail')

export const ReportPageSchema = pageSchema(ReportItemSchema).openapi('ReportPage')

const StatusListSchema = z
  .string()
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return undefined
    const statuses = [...new Set(value.split(',').map((item) => item.trim()))]
    const unknown = statuses.filter((status) => !(REPORT_STATUSES as readonly string[]).includes(status))
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `unknown status: ${unknown.join(', ')}` })
      return z.NEVER
    }
    return statuses as ReportStatus[]
  })
  .openapi({
    param: { name: 'status', in: 'query' },
    type: 'string',
    description: 'Comma-separated statuses; without it, every status but `spam`.',
    example: 'new,triaged',
  })

export const ReportListQuerySchema = PageQuerySchema.extend({ status: StatusListSchema })

export const ReportParamsSchema = z.object({
  id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }),
})
