import { z } from '@hono/zod-openapi'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { IDEMPOTENCY_KEY_PATTERN } from './idempotency'
import { ProblemSchema } from './problem'
import type { AppEnv } from './context'

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>
type Operation = NonNullable<NonNullable<OpenApiDocument['paths']>[string]['get']>
type HeaderObject = Exclude<
  NonNullable<NonNullable<OpenApiDocument['components']>['headers']>[string],
  { $ref: string }
>

/** Where the editors' API is mounted: every operation below it needs a bearer token. */
export const ADMIN_PREFIX = '/v1/admin'

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, a field that breaks its rule, or a bad query parameter (`validation_failed`); a bad signature (`signature_invalid`).',
  401: 'Missing or unknown bearer token (`unauthorized`).',
  403: 'A browser origin that is not allowed (`origin_not_allowed`), a failed captcha (`captcha_failed`), or a role that is too weak (`forbidden`).',
  404: 'Not found (`not_found`).',
  409: 'Conflicts with the current state (`conflict`).',
  412: 'If-Match no longer matches (`precondition_failed`).',
  413: 'The body is too large (`payload_too_large`).',
  415: 'The body is not JSON (`unsupported_media_type`).',
  422: 'Well-formed, but refused: a URL off the allowed origins (`origin_not_allowed`).',
  429: 'Too many requests from this client (`rate_limited`); see Retry-After.',
  500: 'Something went wrong on our side, or the deployment’s configuration does not parse (`internal`); the `request_id` finds it in the logs.',
  502: 'A service we depend on (Stripe) did not do its part (`internal`); try again.',
  503: 'Not configured on this deployment (`not_configured`), or the database is unavailable.',
}

const PROBLEM_HEADERS: Record<number, Record<string, HeaderObject>> = {
  401: {
    'WWW-Authenticate': {
      description:
        'The Bearer challenge (RFC 6750), with `error="invalid_token"` when a token was sent.',
      required: true,
      schema: { type: 'string', pattern: '^Bearer ' },
    },
  },
  429: {
    'Retry-After': {
      description: 'Seconds until this client may try again.',
      required: true,
      schema: { type: 'integer', minimum: 1 },
    },
  },
}

function problemEntry<Schema>(status: number, schema: Schema) {
  const headers = PROBLEM_HEADERS[status]
  return {
    description: PROBLEM_DESCRIPTIONS[status] ?? 'An error.',
    ...(headers ? { headers } : {}),
    content: { 'application/problem+json': { schema } },
  }
}

/** OpenAPI entries for the problem+json answers a route can give. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, problemEntry(status, ProblemSchema)]))
}

/** Response headers the contract gives a meaning to, for routes that send them. */
export const ETAG_HEADER: Record<string, HeaderObject> = {
  ETag: {
    description:
      'The version of what was sent: `If-None-Match` revalidates it; for a report, `If-Match` makes a change conditional.',
    required: true,
    schema: { type: 'string', pattern: '^"[^"]*"$' },
  },
}

export const PUBLIC_READ_HEADERS: Record<string, HeaderObject> = {
  'Cache-Control': {
    description: 'Public: browsers and edges may keep it for `max-age` seconds.',
    required: true,
    schema: { type: 'string', pattern: '^public, max-age=\\d+' },
  },
  'Access-Control-Allow-Origin': {
    description: 'Any site may read it.',
    required: true,
    schema: { type: 'string', const: '*' },
  },
}

export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z.string().regex(IDEMPOTENCY_KEY_PATTERN).optional().openapi({
    description:
      'Makes retries safe: the first answer is given again for 24 hours. 1 to 255 visible ASCII characters.',
  }),
})

export const BEARER_SECURITY = [{ bearer: [] }]

/** The `{id}` of a path: an id this API issued, at most 64 characters. */
export const IdParamsSchema = z.object({
  id: z
    .string()
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' } }),
})

/** A JSON response's (or request's) content block. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({
  'application/json': { schema },
})

/** A route's required JSON request body. */
export const jsonRequestBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: jsonContent(schema),
})

/** Text that is trimmed and must not be blank: JSON Schema's "holds more than white space". */
export const NOT_BLANK = { pattern: '\\S' }

/** The document's own fields: what readerdesk is, where it is served, its tags in order. */
function documentConfig(origin: string, version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'readerdesk',
      version,
      description:
        'The reader desk of an independent newsroom: readers report errors in articles, editors triage ' +
        'them and publish corrections, supporters keep the newsroom going. Errors are RFC 9457 problem ' +
        'details with a stable `code`.',
    },
    servers: [{ url: origin }],
    // Public unless an operation says otherwise: only the editors' API takes a token.
    security: [],
    tags: [
      {
        name: 'Readers',
        description: 'Correction reports from article pages, and the corrections published.',
      },
      { name: 'Editors', description: 'Triage of reports (bearer token).' },
      {
        name: 'Supporters',
        description:
          'Tiers, Stripe Checkout and webhooks, and the newsroom’s view of its supporters.',
      },
      {
        name: 'Webhooks',
        description:
          'Endpoints of the newsroom’s own tools, told of reports, corrections and supporters: each ' +
          'delivery is signed as the Standard Webhooks specification says (admin bearer token).',
      },
      { name: 'Operations', description: 'Health and documentation.' },
    ],
  }
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const

/** `GET /v1/admin/reports/{id}` → `getAdminReportsById`: stable, unique while paths are. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .split('/')
    .filter((segment) => segment && !/^v\d+$/.test(segment))
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment)?.[1]
      return [...(param ? ['by'] : []), ...(param ?? segment).split(/[^A-Za-z0-9]+/)]
    })
  return [method, ...words.filter(Boolean).map((word) => word[0]!.toUpperCase() + word.slice(1))]
    .join('')
    .replace(/^./, (first) => first.toLowerCase())
}

/**
 * What every operation owes the contract whatever its route says, from where it is mounted and
 * what it takes: an operationId; the bearer token under ADMIN_PREFIX (401 without it); 400 for
 * parameters or a body that break their rules; 413 and 415 for a JSON body; 500 anywhere.
 */
function completeOperation(method: string, path: string, operation: Operation): void {
  const admin = path.startsWith(`${ADMIN_PREFIX}/`)
  const takesInput = Boolean(operation.parameters?.length || operation.requestBody)
  const implied = [
    ...(takesInput ? [400] : []),
    ...(admin ? [401] : []),
    ...(operation.requestBody ? [413, 415] : []),
    500,
  ]
  const problem = { $ref: '#/components/schemas/Problem' }
  operation.operationId ??= operationIdOf(method, path)
  if (admin) operation.security = BEARER_SECURITY
  operation.responses = {
    ...Object.fromEntries(implied.map((status) => [status, problemEntry(status, problem)])),
    ...operation.responses,
  }
}

/** The OpenAPI 3.1 document generated from every route's zod schemas, completed. */
export function openApiDocument(
  app: OpenAPIHono<AppEnv>,
  origin: string,
  version: string,
): OpenApiDocument {
  const document = app.getOpenAPI31Document(documentConfig(origin, version))
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method]
      if (operation) completeOperation(method, path, operation)
    }
  }
  return document
}

/** Serves the document at /openapi.json. */
export function serveOpenApi(app: OpenAPIHono<AppEnv>, version: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An editor token, or ADMIN_TOKEN for the bootstrap admin.',
  })
  app.get('/openapi.json', (c) => c.json(openApiDocument(app, new URL(c.req.url).origin, version)))
}
