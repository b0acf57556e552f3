import { z } from '@hono/zod-openapi'
import { NOT_BLANK } from '../http/openapi'
import { freeText } from '../http/text'
import { normalizeArticleUrl } from './normalize'

export const REPORT_KINDS = ['typo', 'factual', 'clarification', 'translation', 'other'] as const
export const ReportKindSchema = z.enum(REPORT_KINDS).openapi('ReportKind')
export type ReportKind = z.infer<typeof ReportKindSchema>

export const REPORT_STATUSES = [
  'new',
  'triaged',
  'accepted',
  'fixed',
  'rejected',
  'duplicate',
  'spam',
] as const
export const ReportStatusSchema = z.enum(REPORT_STATUSES).openapi('ReportStatus')
export type ReportStatus = z.infer<typeof ReportStatusSchema>

export const OPEN_STATUSES = [
  'new',
  'triaged',
  'accepted',
] as const satisfies readonly ReportStatus[]

export const CLOSED_STATUSES = [
  'fixed',
  'rejected',
  'duplicate',
  'spam',
] as const satisfies readonly ReportStatus[]

/** Optional free text (see `freeText`); empty and null both mean "not sent". */
function text(max: number, { trim = true } = {}) {
  return freeText(max, { trim })
    .nullish()
    .transform((value) => value || undefined)
    .openapi({ type: ['string', 'null'], maxLength: max })
}

/** The article's URL, normalised; whether its origin is allowed is checked later (422). */
export const ArticleUrlSchema = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    const check = normalizeArticleUrl(value)
    if (check.ok) return check.url
    ctx.addIssue({ code: 'custom', message: check.message })
    return z.NEVER
  })
  .openapi({
    type: 'string',
    format: 'uri',
    maxLength: 2048,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@]*(?:[/?#]|$)',
    description: 'An absolute http(s) URL, without credentials.',
    example: 'https://news.example/2026/11/city-budget',
  })

const LanguageTagSchema = z
  .string()
  .max(35)
  .nullish()
  .transform((value, ctx) => {
    if (!value?.trim()) return undefined
    try {
      return Intl.getCanonicalLocales(value.trim())[0]
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a BCP 47 language tag such as en or pt-BR' })
      return z.NEVER
    }
  })
  .openapi({
    type: ['string', 'null'],
    maxLength: 35,
    pattern: '^\\s*(?:(?:[A-Za-z]{2,3}|[A-Za-z]{5,8})(?:-[A-Za-z0-9]{1,8})*)?\\s*$',
    description: 'A BCP 47 language tag; stored in its canonical form.',
    example: 'en',
  })

export const ReportInputSchema = z
  .object({
    url: ArticleUrlSchema,
    quote: text(1000).openapi({ description: 'The selected text, trimmed.' }),
    context_before: text(300, { trim: false }),
    context_after: text(300, { trim: false }),
    suggestion: text(2000).openapi({ description: 'The proposed replacement.' }),
    comment: text(2000),
    kind: ReportKindSchema.optional().openapi({
      description: 'Defaults to `typo` when a quote is sent, else `other`.',
    }),
    title: text(300),
    lang: LanguageTagSchema,
    email: z
      .email()
      .max(254)
      .nullish()
      .transform((value) => value ?? undefined)
      .openapi({
        type: ['string', 'null'],
        format: 'email',
        maxLength: 254,
        description: 'Only used to tell the reader what happened.',
      }),
    turnstile_token: z
      .string()
      .max(2048)
      .nullish()
      .openapi({
        type: ['string', 'null'],
        maxLength: 2048,
        description: 'Required when the deployment has TURNSTILE_SECRET_KEY.',
      }),
    website: z.unknown().optional().openapi({
      description: 'Honeypot: leave empty. Anything here is answered as usual and stored as spam.',
    }),
  })
  .refine((input) => input.quote !== undefined || input.comment !== undefined, {
    path: ['quote'],
    message: 'send a quote or a comment (at least one must be non-empty)',
  })
  .openapi('ReportInput', {
    anyOf: [
      { required: ['quote'], properties: { quote: { type: 'string', ...NOT_BLANK } } },
      { required: ['comment'], properties: { comment: { type: 'string', ...NOT_BLANK } } },
    ],
  })

export type ReportInput = z.infer<typeof ReportInputSchema>

export const ReportCreatedSchema = z
  .object({
    id: z.string().openapi({ description: 'The report: the triage unit readers join.' }),
    submission_id: z.string(),
    status: ReportStatusSchema,
    submissions: z
      .number()
      .int()
      .openapi({ description: 'How many readers have sent this report.' }),
    status_url: z
      .string()
      .url()
      .openapi({ description: 'Private link where this reader can follow the report.' }),
  })
  .openapi('ReportCreated')

export type ReportCreated = z.infer<typeof ReportCreatedSchema>

export const CorrectionKindSchema = z
  .enum(['correction', 'clarification', 'update'])
  .openapi('CorrectionKind')
export type CorrectionKind = z.infer<typeof CorrectionKindSchema>

export const SubmissionStatusSchema = z
  .object({
    status: ReportStatusSchema,
    correction: z
      .object({ kind: CorrectionKindSchema, text: z.string(), published_at: z.string() })
      .nullable(),
  })
  .openapi('SubmissionStatus')

export const SubmissionQuerySchema = z.object({
  token: z
    .string()
    .max(128)
    .openapi({ param: { name: 'token', in: 'query' }, description: 'The token from status_url.' }),
})

/** Whether the honeypot field was filled in, as only a bot would. */
export function isHoneypotHit(input: ReportInput): boolean {
  const value = input.website
  return value !== undefined && value !== null && value !== '' && value !== false
}
