import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Config } from '../env'
import { admit } from '../http/admission'
import type { Admission, AppEnv } from '../http/context'
import { jsonBody, parseJson } from '../http/body'
import { newId, randomToken, sha256Hex } from '../http/crypto'
import { isOnAllowedOrigin, requireAllowedOrigin } from '../http/origin'
import { ApiError } from '../http/problem'
import {
  IdempotencyHeadersSchema,
  IdParamsSchema,
  jsonContent,
  jsonRequestBody,
  problemResponses,
} from '../http/openapi'
import { createRouter } from '../http/router'
import { notifier } from '../notify/produce'
import { verifyTurnstile } from '../http/turnstile'
import { foldQuote } from './normalize'
import {
  isHoneypotHit,
  type ReportInput,
  ReportCreatedSchema,
  ReportInputSchema,
  SubmissionQuerySchema,
  SubmissionStatusSchema,
} from './schemas'
import {
  eraseSubmissionEmail,
  findSubmissionStatus,
  submitReport,
  type NewSubmission,
} from './store'

export const reports = createRouter()

const createReport = createRoute({
  method: 'post',
  path: '/v1/reports',
  tags: ['Readers'],
  summary: 'Report an error in an article',
  description:
    'Groups the submission with the open report for the same article and quote, or opens one. ' +
    'Send an `Idempotency-Key` to retry safely: a key seen in the last 24 hours gets the first ' +
    'answer again. Errors, when several apply: 413, 415, 403 (origin), 429, 400, 403 (captcha), 422.',
  middleware: [
    jsonBody(),
    requireAllowedOrigin(),
    admit({
      purpose: 'reports',
      quota: (config) => config.rateLimits.reportsPerMinute,
      readFirst: (config) => config.turnstile.secretKey !== undefined,
    }),
    parseJson(),
  ] as const,
  request: {
    headers: IdempotencyHeadersSchema,
    body: jsonRequestBody(ReportInputSchema),
  },
  responses: {
    201: {
      description: 'Stored; the reader can follow it at `status_url`.',
      content: jsonContent(ReportCreatedSchema),
    },
    ...problemResponses(400, 403, 409, 413, 415, 422, 429, 503),
  },
})

/** Turnstile, when configured; a failed captcha still counts against the reader's limit. */
async function assertHuman(c: Context<AppEnv>, token: string | undefined): Promise<void> {
  try {
    await verifyTurnstile(c.get('config'), token, c.req.header('cf-connecting-ip'))
  } catch (error) {
    if (error instanceof ApiError && error.code === 'captcha_failed')
      await c.get('admission').count()
    throw error
  }
}

function assertOnSite(config: Config, url: string): void {
  if (isOnAllowedOrigin(config, url)) return
  throw new ApiError('origin_not_allowed', 'The article is not on one of this newsroom’s sites.', {
    status: 422,
    errors: [{ path: 'url', message: 'not on an allowed origin' }],
  })
}

/** The submission as stored: the reader's input with its ids, its private link and its time. */
async function newSubmission(
  input: ReportInput,
  admission: Admission,
  apiUrl: string,
): Promise<NewSubmission> {
  const token = randomToken()
  const submissionId = newId('sub')
  const quote = input.quote ?? ''
  return {
    candidateReportId: newId('rep'),
    submissionId,
    tokenHash: await sha256Hex(token),
    url: input.url,
    quote,
    quoteKey: foldQuote(quote) || null,
    contextBefore: input.context_before ?? null,
    contextAfter: input.context_after ?? null,
    suggestion: input.suggestion ?? null,
    comment: input.comment ?? null,
    kind: input.kind ?? (input.quote ? 'typo' : 'other'),
    title: input.title ?? null,
    lang: input.lang ?? null,
    email: input.email ?? null,
    ipHash: admission.ipHash,
    spam: isHoneypotHit(input),
    at: new Date(admission.now).toISOString(),
    statusUrl: new URL(`/v1/submissions/${submissionId}?token=${token}`, apiUrl).href,
    replyOrigin: new URL(apiUrl).origin,
  }
}

reports.openapi(createReport, async (c) => {
  const input = c.req.valid('json')
  const admission = c.get('admission')
  await assertHuman(c, input.turnstile_token ?? undefined)
  assertOnSite(c.get('config'), input.url)
  const submission = await newSubmission(input, admission, c.req.url)
  const created = await submitReport(c.env.DB, submission, admission)
  // A new report: not a reader joining one, nor the remembered answer to a retried request
  // (another submission's); spam never notifies.
  const stored = created.submission_id === submission.submissionId
  if (stored && !submission.spam && created.submissions === 1)
    notifier(c)([{ type: 'report.created', about: { report_id: created.id } }])
  return c.json(created, 201)
})

const submissionStatus = createRoute({
  method: 'get',
  path: '/v1/submissions/{id}',
  tags: ['Readers'],
  summary: 'What became of my report',
  description:
    'The private link from `status_url`, or from an email about the report. A wrong token answers ' +
    '404, like an unknown id.',
  request: { params: IdParamsSchema, query: SubmissionQuerySchema },
  responses: {
    200: {
      description: 'The report’s status and its published correction, if any.',
      content: jsonContent(SubmissionStatusSchema),
    },
    ...problemResponses(400, 404),
  },
})

reports.openapi(submissionStatus, async (c) => {
  const { id } = c.req.valid('param')
  const { token } = c.req.valid('query')
  const row = await findSubmissionStatus(c.env.DB, id, await sha256Hex(token))
  if (!row) throw new ApiError('not_found', 'No submission matches this link.')
  const correction =
    row.correction_kind && row.correction_text && row.correction_published_at
      ? {
          kind: row.correction_kind,
          text: row.correction_text,
          published_at: row.correction_published_at,
        }
      : null
  return c.json({ status: row.status === 'spam' ? 'new' : row.status, correction }, 200)
})

const eraseEmail = createRoute({
  method: 'delete',
  path: '/v1/submissions/{id}',
  tags: ['Readers'],
  summary: 'Erase my email from my report',
  description:
    'With the token of the private link from `status_url` or of an email’s link: the reader’s email is erased from this ' +
    'submission (the report text stays). Answers 204 again when it is already erased; a wrong token ' +
    'answers 404, like an unknown id.',
  request: { params: IdParamsSchema, query: SubmissionQuerySchema },
  responses: {
    204: { description: 'The email is erased.' },
    ...problemResponses(400, 404),
  },
})

reports.openapi(eraseEmail, async (c) => {
  const { id } = c.req.valid('param')
  const { token } = c.req.valid('query')
  if (!(await eraseSubmissionEmail(c.env.DB, id, await sha256Hex(token)))) {
    throw new ApiError('not_found', 'No submission matches this link.')
  }
  return c.body(null, 204)
})
