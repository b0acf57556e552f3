import { z } from '@hono/zod-openapi'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { ProblemSchema } from './problem'
import type { AppEnv } from './router'

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
  502: 'A service we depend on (Stripe) did not do its part (`internal`); try again.',
  503: 'Not configured on this deployment (`not_configured`), or the database is unavailable.',
}

/** OpenAPI entries for the problem+json answers a route can give. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: PROBLEM_DESCRIPTIONS[status] ?? 'An error.',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  )
}

export const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .max(255)
    .optional()
    .openapi({ description: 'Makes retries safe: the first answer is given again for 24 hours.' }),
})

export const BEARER_SECURITY = [{ bearer: [] }]

/** The document's own fields: what readerdesk is, where it is served, its tags in order. */
export function documentConfig(origin: string, version: string) {
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
      { name: 'Operations', description: 'Health and documentation.' },
    ],
  }
}

/** Serves the OpenAPI 3.1 document generated from every route's zod schemas. */
export function serveOpenApi(app: OpenAPIHono<AppEnv>, version: string): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An editor token, or ADMIN_TOKEN for the bootstrap admin.',
  })
  app.doc31('/openapi.json', (c) => documentConfig(new URL(c.req.url).origin, version))
}
