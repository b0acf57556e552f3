import { createRoute } from '@hono/zod-openapi'
import type { Config } from '../env'
import { admit } from '../http/admission'
import type { Admission } from '../http/context'
import { jsonBody, parseJson } from '../http/body'
import { sha256Hex } from '../http/crypto'
import {
  IdempotencyHeadersSchema,
  jsonContent,
  jsonRequestBody,
  problemResponses,
  PUBLIC_READ_HEADERS,
} from '../http/openapi'
import { isOnAllowedOrigin, requireAllowedOrigin } from '../http/origin'
import { ApiError } from '../http/problem'
import { publicRead } from '../http/public'
import { createRouter } from '../http/router'
import {
  CheckoutCreatedSchema,
  CheckoutInputSchema,
  TierListSchema,
  type CheckoutInput,
} from './schemas'
import { SupporterStatsSchema } from './supporter-schemas'
import { publicSupporterStats } from './supporter-store'
import { findTier, listActiveTiers } from './tier-store'
import {
  checkoutParams,
  createCheckoutSession,
  notConfigured,
  stripeClient,
  type Offer,
  type ReturnUrls,
} from './stripe'

/** Readers' side of supporting: tiers, checkout, public figures, the billing portal. */
export const support = createRouter()

const tiersRoute = createRoute({
  method: 'get',
  path: '/v1/tiers',
  tags: ['Supporters'],
  summary: 'The tiers readers can support with',
  description:
    'Active tiers only, cheapest first. Cacheable for a minute, readable from any origin.',
  middleware: [publicRead(60)] as const,
  responses: {
    200: {
      description: 'The active tiers.',
      headers: PUBLIC_READ_HEADERS,
      content: jsonContent(TierListSchema),
    },
  },
})

support.openapi(tiersRoute, async (c) => c.json({ items: await listActiveTiers(c.env.DB) }, 200))

const statsRoute = createRoute({
  method: 'get',
  path: '/v1/supporters/stats',
  tags: ['Supporters'],
  summary: 'How many readers support the newsroom',
  description:
    'Counts supporters whose status is `active` or `past_due`. Cacheable for a minute, readable from any origin.',
  middleware: [publicRead(60)] as const,
  responses: {
    200: {
      description: 'The public figures.',
      headers: PUBLIC_READ_HEADERS,
      content: jsonContent(SupporterStatsSchema),
    },
  },
})

support.openapi(statsRoute, async (c) => c.json(await publicSupporterStats(c.env.DB), 200))

const portalRoute = createRoute({
  method: 'get',
  path: '/v1/billing-portal',
  tags: ['Supporters'],
  summary: 'Where supporters manage or cancel their support',
  description: 'Redirects to Stripe’s customer-portal login page (STRIPE_PORTAL_LOGIN_URL).',
  responses: {
    303: {
      description: 'To Stripe’s customer portal.',
      headers: {
        Location: {
          description: 'STRIPE_PORTAL_LOGIN_URL.',
          required: true,
          schema: { type: 'string', format: 'uri' },
        },
      },
    },
    ...problemResponses(503),
  },
})

support.openapi(portalRoute, (c) => {
  const url = c.get('config').stripe.portalLoginUrl
  if (!url) throw notConfigured('STRIPE_PORTAL_LOGIN_URL')
  return c.redirect(url, 303)
})

const checkoutRoute = createRoute({
  method: 'post',
  path: '/v1/checkout',
  tags: ['Supporters'],
  summary: 'Start a Stripe Checkout to support the newsroom',
  description:
    'A tier (a subscription) or a custom amount (`once` is a one-time gift, `month` and `year` subscribe), ' +
    'priced by us and sent to Stripe inline. Makes exactly one Stripe call, with an idempotency key; send an ' +
    '`Idempotency-Key` to retry safely. Rate-limited per client IP (RATE_LIMIT_CHECKOUTS_PER_MINUTE). ' +
    'Errors, when several apply: 413, 415, 403 (origin), 429, 400, 503, 404, 422.',
  middleware: [
    jsonBody(),
    requireAllowedOrigin(),
    admit({
      purpose: 'checkout',
      quota: (config) => config.rateLimits.checkoutsPerMinute,
      readFirst: () => true,
    }),
    parseJson(),
  ] as const,
  request: {
    headers: IdempotencyHeadersSchema,
    body: jsonRequestBody(CheckoutInputSchema),
  },
  responses: {
    201: {
      description: 'The Checkout Session; send the reader to its `url`.',
      content: jsonContent(CheckoutCreatedSchema),
    },
    ...problemResponses(400, 403, 404, 409, 413, 415, 422, 429, 502, 503),
  },
})

/** What the reader buys: an active tier (else 404), or the custom amount they chose. */
async function offerFor(db: D1Database, input: CheckoutInput): Promise<Offer> {
  if (input.tier_id) {
    const tier = await findTier(db, input.tier_id)
    if (!tier?.active) throw new ApiError('not_found', 'No active tier has this id.')
    const { name, description, amount, currency, interval } = tier
    return { name, description, amount, currency, interval, tierId: tier.id }
  }
  const interval = input.interval ?? 'once'
  const names = {
    once: 'One-time support',
    month: 'Monthly support',
    year: 'Yearly support',
  } as const
  return {
    name: names[interval],
    description: '',
    amount: input.amount ?? 0,
    currency: input.currency ?? '',
    interval,
    tierId: null,
  }
}

function assertAcceptedCurrency(config: Config, input: CheckoutInput): void {
  if (input.tier_id || !input.currency || config.support.currencies.has(input.currency)) return
  throw new ApiError('validation_failed', 'Some fields are not valid.', {
    errors: [
      { path: 'currency', message: `must be one of ${[...config.support.currencies].join(', ')}` },
    ],
  })
}

function returnUrls(config: Config, input: CheckoutInput): ReturnUrls {
  const successUrl = input.success_url ?? config.support.successUrl
  const cancelUrl = input.cancel_url ?? config.support.cancelUrl
  if (!successUrl) {
    throw new ApiError('validation_failed', 'Some fields are not valid.', {
      errors: [
        { path: 'success_url', message: 'required: this deployment has no SUPPORT_SUCCESS_URL' },
      ],
    })
  }
  const offsite = [
    ...(input.success_url && !isOnAllowedOrigin(config, input.success_url) ? ['success_url'] : []),
    ...(input.cancel_url && !isOnAllowedOrigin(config, input.cancel_url) ? ['cancel_url'] : []),
  ]
  if (offsite.length) {
    throw new ApiError('origin_not_allowed', 'Checkout only returns to this newsroom’s sites.', {
      status: 422,
      errors: offsite.map((path) => ({ path, message: 'not on an allowed origin' })),
    })
  }
  return { successUrl, cancelUrl }
}

/** Stripe's key: from the client's Idempotency-Key and body, so a retry finds the same session. */
async function stripeIdempotencyKey(admission: Admission): Promise<string> {
  const given = admission.idempotency
  if (!given) return `readerdesk-checkout-${crypto.randomUUID()}`
  return `readerdesk-checkout-${await sha256Hex(`${given.key}\u0000${given.fingerprint}`)}`
}

support.openapi(checkoutRoute, async (c) => {
  const input = c.req.valid('json')
  const config = c.get('config')
  const admission = c.get('admission')
  const db = c.env.DB
  assertAcceptedCurrency(config, input)
  const secretKey = config.stripe.secretKey
  if (!secretKey) throw notConfigured('STRIPE_SECRET_KEY')
  const params = checkoutParams(
    await offerFor(db, input),
    returnUrls(config, input),
    input.email ?? undefined,
  )
  const body = await admission.call(201, async () => {
    const client = await stripeClient(config, secretKey)
    const key = await stripeIdempotencyKey(admission)
    return JSON.stringify(await createCheckoutSession(client, params, key))
  })
  return c.json(CheckoutCreatedSchema.parse(JSON.parse(body)), 201)
})
