import { z } from '@hono/zod-openapi'
import { freeText } from '../http/text'

export const TIER_INTERVALS = ['month', 'year'] as const
export const TierIntervalSchema = z.enum(TIER_INTERVALS).openapi('TierInterval')
export type TierInterval = z.infer<typeof TierIntervalSchema>

/** Custom amounts, in minor units: at least 1.00, at most 10 000.00 of a two-decimal currency. */
export const CUSTOM_AMOUNT_MIN = 100
export const CUSTOM_AMOUNT_MAX = 1_000_000
/** Stripe's largest unit amount; tiers may be dearer than custom amounts, never more than this. */
const TIER_AMOUNT_MAX = 99_999_999

/** An ISO 4217 code, stored lowercase as Stripe uses it. */
export const CurrencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code such as usd')
  .transform((value) => value.toLowerCase())
  .openapi({
    type: 'string',
    pattern: '^[A-Za-z]{3}$',
    description: 'Any case; stored lowercase.',
    example: 'usd',
  })

const MinorUnits = (min: number, max: number) =>
  z
    .number()
    .int('must be a whole number of minor units (500 = 5.00 USD; 500 = ¥500)')
    .min(min)
    .max(max)
    .openapi({ type: 'integer', minimum: min, maximum: max })

// ---------------------------------------------------------------------------------------------
// Tiers

export const PublicTierSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    amount: z.number().int().openapi({ description: 'In the currency’s minor unit.' }),
    currency: z.string(),
    interval: TierIntervalSchema,
  })
  .openapi('Tier')

export const TierListSchema = z.object({ items: z.array(PublicTierSchema) }).openapi('TierList')

export const AdminTierSchema = PublicTierSchema.extend({
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi('AdminTier')

export const AdminTierListSchema = z
  .object({ items: z.array(AdminTierSchema) })
  .openapi('AdminTierList')

const tierFields = {
  name: freeText(100, { required: true }),
  description: freeText(500),
  amount: MinorUnits(CUSTOM_AMOUNT_MIN, TIER_AMOUNT_MAX),
  currency: CurrencySchema,
  interval: TierIntervalSchema,
  active: z.boolean(),
}

export const TierInputSchema = z
  .object({
    ...tierFields,
    description: tierFields.description.optional().default(''),
    active: tierFields.active
      .optional()
      .default(true)
      .openapi({ description: 'Inactive tiers are hidden and cannot be bought.' }),
  })
  .openapi('TierInput')

export const TierPatchSchema = z
  .object({
    name: tierFields.name.optional(),
    description: tierFields.description.optional(),
    amount: tierFields.amount.optional(),
    currency: tierFields.currency.optional(),
    interval: tierFields.interval.optional(),
    active: tierFields.active.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    path: ['(body)'],
    message: 'send at least one field to change',
  })
  .openapi('TierPatch', {
    anyOf: Object.keys(tierFields).map((field) => ({ required: [field] })),
  })

// ---------------------------------------------------------------------------------------------
// Checkout

export const CHECKOUT_INTERVALS = ['once', 'month', 'year'] as const

/** Where Stripe sends the reader back; whether its origin is allowed is checked later (422). */
const ReturnUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'https:' || url.protocol === 'http:'
    } catch {
      return false
    }
  }, 'must be an absolute http or https URL')
  // Forwarded as the parser read it, so Stripe redirects to the very URL whose origin we checked.
  .transform((value) => new URL(value).href)
  .nullish()
  .transform((value) => value ?? undefined)
  .openapi({
    type: ['string', 'null'],
    format: 'uri',
    maxLength: 2048,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?:',
  })

export const CheckoutInputSchema = z
  .object({
    tier_id: z
      .string()
      .min(1)
      .max(64)
      .nullish()
      .openapi({ description: 'One of `GET /v1/tiers`.' }),
    amount: MinorUnits(CUSTOM_AMOUNT_MIN, CUSTOM_AMOUNT_MAX)
      .nullish()
      .openapi({
        type: ['integer', 'null'],
        description: 'A custom amount, in the currency’s minor unit.',
      }),
    currency: CurrencySchema.nullish().openapi({
      type: ['string', 'null'],
      description: 'With `amount`: one of SUPPORT_CURRENCIES (default usd, eur, gbp).',
    }),
    interval: z.enum(CHECKOUT_INTERVALS).nullish().openapi({
      description: 'With `amount`: `once` (default) is a gift, `month` and `year` subscribe.',
    }),
    email: z
      .email()
      .max(254)
      .nullish()
      .openapi({ format: 'email', description: 'Prefills Checkout.' }),
    success_url: ReturnUrlSchema.openapi({
      description: 'Default SUPPORT_SUCCESS_URL; must be on an allowed origin.',
    }),
    cancel_url: ReturnUrlSchema.openapi({
      description: 'Default SUPPORT_CANCEL_URL; must be on an allowed origin.',
    }),
  })
  .superRefine((input, ctx) => {
    const custom = ['amount', 'currency', 'interval'] as const
    if (input.tier_id) {
      for (const field of custom) {
        if (input[field] !== null && input[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'send either tier_id or a custom amount, not both',
          })
        }
      }
      return
    }
    if (input.amount === null || input.amount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'send a tier_id or an amount' })
    }
    if (!input.currency)
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'required with amount' })
  })
  .openapi('CheckoutInput', {
    anyOf: [
      {
        description: 'A tier, nothing of a custom amount.',
        required: ['tier_id'],
        properties: {
          tier_id: { type: 'string' },
          amount: { type: 'null' },
          currency: { type: 'null' },
          interval: { type: 'null' },
        },
      },
      {
        description: 'A custom amount in a currency, no tier.',
        required: ['amount', 'currency'],
        properties: {
          tier_id: { type: 'null' },
          amount: { type: 'integer' },
          currency: { type: 'string' },
        },
      },
    ],
  })

export type CheckoutInput = z.infer<typeof CheckoutInputSchema>

export const CheckoutCreatedSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: 'The Stripe Checkout Session.', example: 'cs_test_a1b2c3' }),
    url: z.string().url().openapi({ description: 'Send the reader’s browser here.' }),
  })
  .openapi('CheckoutCreated')

export const WebhookReceivedSchema = z
  .object({
    received: z.literal(true),
    outcome: z.enum(['applied', 'duplicate', 'ignored']).openapi({
      description:
        '`duplicate`: this event id already took effect; `ignored`: not ours, another mode, ' +
        'or a type we do not handle.',
    }),
  })
  .openapi('WebhookReceived')
