import { z } from '@hono/zod-openapi'
import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { routePath } from 'hono/route'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { ConfigError } from '../env'

/** The stable machine words of the contract; clients switch on these, never on `detail`. */
export const PROBLEM_CODES = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthorized: { status: 401, title: 'Authentication is required' },
  forbidden: { status: 403, title: 'Not allowed for this role' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  precondition_failed: { status: 412, title: 'The resource has changed' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  unsupported_media_type: { status: 415, title: 'The request body must be JSON' },
  origin_not_allowed: { status: 403, title: 'This origin is not allowed' },
  rate_limited: { status: 429, title: 'Too many requests' },
  captcha_failed: { status: 403, title: 'The captcha was not passed' },
  not_configured: { status: 503, title: 'This feature is not configured' },
  signature_invalid: { status: 400, title: 'The signature is not valid' },
  api_version_mismatch: { status: 400, title: 'The event is of another Stripe API version' },
  internal: { status: 500, title: 'Something went wrong on our side' },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>

export type ProblemCode = keyof typeof PROBLEM_CODES

export interface FieldError {
  path: string
  message: string
}

interface ApiErrorOptions {
  /** Overrides the code's usual status (`origin_not_allowed` is 403 for a browser, 422 for a URL). */
  status?: ContentfulStatusCode
  errors?: FieldError[]
  headers?: Record<string, string>
}

/** The one error type of the API: thrown anywhere, answered by `onError` as problem+json. */
export class ApiError extends HTTPException {
  readonly code: ProblemCode
  readonly errors?: FieldError[]
  readonly headers?: Record<string, string>

  constructor(code: ProblemCode, detail: string, options: ApiErrorOptions = {}) {
    super(options.status ?? PROBLEM_CODES[code].status, { message: detail })
    this.code = code
    this.errors = options.errors
    this.headers = options.headers
  }
}

export const ProblemSchema = z
  .object({
    type: z
      .string()
      .openapi({ example: 'https://api.news.example/docs#problem-validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEM_CODES) as [ProblemCode, ...ProblemCode[]]),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    request_id: z.string().optional(),
  })
  .openapi('Problem')

export type Problem = z.infer<typeof ProblemSchema>

export function problemBody(c: Context, error: ApiError): Problem {
  return {
    type: new URL(`/docs#problem-${error.code}`, c.req.url).href,
    title: PROBLEM_CODES[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    request_id: c.get('requestId'),
  }
}

export function problemResponse(c: Context, error: ApiError): Response {
  const headers = new Headers(error.headers)
  headers.set('Content-Type', 'application/problem+json')
  return new Response(JSON.stringify(problemBody(c, error)), { status: error.status, headers })
}

/** Turns zod issues into the contract's `errors` list. */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }))
}

export function validationFailed(error: ZodError, detail = 'Some fields are not valid.'): ApiError {
  return new ApiError('validation_failed', detail, { errors: fieldErrors(error) })
}

/** Hono's own exceptions (and any other status it throws) mapped onto the contract's codes. */
function fromHttpException(error: HTTPException): ApiError {
  const byStatus: Partial<Record<number, ProblemCode>> = {
    400: 'validation_failed',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
  }
  const code = byStatus[error.status] ?? 'internal'
  const status = code === 'internal' ? 500 : error.status
  const detail = code === 'internal' ? 'The request could not be processed.' : error.message
  return new ApiError(code, detail || PROBLEM_CODES[code].title, { status })
}

export const onError: ErrorHandler = (error, c) => {
  if (error instanceof ApiError) return problemResponse(c, error)
  if (error instanceof HTTPException && error.status < 500) {
    return problemResponse(c, fromHttpException(error))
  }
  const cause = error instanceof ConfigError ? 'configuration' : 'exception'
  console.error(
    JSON.stringify({
      level: 'error',
      request_id: c.get('requestId'),
      method: c.req.method,
      route: routePath(c),
      cause,
      message: error.message,
      stack: error.stack,
    }),
  )
  return problemResponse(
    c,
    new ApiError('internal', 'Something went wrong; the request id identifies it in our logs.'),
  )
}

export const notFound: NotFoundHandler = (c) =>
  problemResponse(
    c,
    new ApiError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`),
  )
