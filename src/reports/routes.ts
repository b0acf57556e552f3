import { createRoute } from '@hono/zod-openapi'
import { admissionStatements, admit, commitAdmitted, recordAdmission } from '../http/admission'
import { jsonBody, parseJson } from '../http/body'
import { newId, randomToken, sha256Hex } from '../http/crypto'
import { isOnAllowedOrigin, requireAllowedOrigin } from '../http/origin'
import { ApiError } from '../http/problem'
import { IdempotencyHeadersSchema, problemResponses } from '../http/openapi'
import { createRouter } from '../http/router'
import { assertHuman } from '../http/turnstile'
import { foldQuote } from './normalize'
import {
  isHoneypotHit,
  type ReportCreated,
  ReportCreatedSchema,
  ReportInputSchema,
  SubmissionParamsSchema,
  SubmissionQuerySchema,
  SubmissionStatusSchema,
} from './schemas'
import {
  createdResponse,
  eraseSubmissionEmail,
  findSubmissionStatus,
  rememberCreated,
  writeSubmission,
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
    admit({ purpose: 'reports', quota: (config) => config.rateLimits.reportsPerMinute }),
    parseJson(),
  ] as const,
  request: {
    headers: IdempotencyHeadersSchema,
    body: { required: true, content: { 'application/json': { schema: ReportInputSchema } } },
  },
  responses: {
    201: {
      description: 'Stored; the reader can follow it at `status_url`.',
      content: { 'application/json': { schema: ReportCreatedSchema } },
    },
    ...problemResponses(400, 403, 409, 413, 415, 422, 429, 503),
  },
})

reports.openapi(createReport, async (c) => {
  const input = c.req.valid('json')
  const config = c.get('config')
  const admission = c.get('admission')
  const db = c.env.DB
  try {
    await assertHuman(config, input.turnstile_token ?? undefined, c.req.header('cf-connecting-ip'))
  } catch (error) {
    // A failed captcha counts against the limit, so a bot cannot try tokens without end.
    if (error instanceof ApiError && error.code === 'captcha_failed') {
      await recordAdmission(db, admission)
    }
    throw error
  }
  if (!isOnAllowedOrigin(config, input.url)) {
    throw new ApiError(
      'origin_not_allowed',
      'The article is not on one of this newsroom’s sites.',
      {
        status: 422,
        errors: [{ path: 'url', message: 'not on an allowed origin' }],
      },
    )
  }
  const token = randomToken()
  const submissionId = newId('sub')
  const statusUrl = new URL(`/v1/submissions/${submissionId}?token=${token}`, c.req.url).href
  const at = new Date(admission.now).toISOString()
  const quote = input.quote ?? ''
  const writes = writeSubmission(db, {
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
    at,
    statusUrl,
  })
  const answer = admission.idempotency
    ? rememberCreated(db, submissionId, statusUrl, admission.idempotency, at)
    : createdResponse(db, submissionId, statusUrl)
  const body = await commitAdmitted(db, admission, async () => {
    const results = await db.batch<{ response: string }>([
      ...admissionStatements(db, admission),
      ...writes,
      answer,
    ])
    const response = results.at(-1)?.results[0]?.response
    if (!response) throw new Error('the submission batch returned no answer')
    return response
  })
  // The database's JSON is ASCII and compact, so this serialises back to the remembered bytes.
  return c.json(JSON.parse(body) as ReportCreated, 201)
})

const submissionStatus = createRoute({
  method: 'get',
  path: '/v1/submissions/{id}',
  tags: ['Readers'],
  summary: 'What became of my report',
  description: 'The private link from `status_url`. A wrong token answers 404, like an unknown id.',
  request: { params: SubmissionParamsSchema, query: SubmissionQuerySchema },
  responses: {
    200: {
      description: 'The report’s status and its published correction, if any.',
      content: { 'application/json': { schema: SubmissionStatusSchema } },
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
    'With the token of the private link from `status_url`: the reader’s email is erased from this ' +
    'submission (the report text stays). Answers 204 again when it is already erased; a wrong token ' +
    'answers 404, like an unknown id.',
  request: { params: SubmissionParamsSchema, query: SubmissionQuerySchema },
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
