/** The schemas of the newsroom's view of its supporters: supporters, payments, figures. */
import { z } from '@hono/zod-openapi'
import { enumListParam } from '../http/query'
import { PageQuerySchema, pageSchema } from '../http/paging'
import { TIER_INTERVALS } from './schemas'

export const SUPPORTER_STATUSES = ['active', 'past_due', 'canceled', 'one_time'] as const
export const SupporterStatusSchema = z.enum(SUPPORTER_STATUSES).openapi('SupporterStatus')
export type SupporterStatus = z.infer<typeof SupporterStatusSchema>

const MoneyListSchema = z.array(z.object({ currency: z.string(), amount: z.number().int() }))

export const SupporterStatsSchema = z
  .object({
    active_supporters: z
      .number()
      .int()
      .openapi({ description: 'Supporters whose status is active or past_due.' }),
    monthly_recurring: MoneyListSchema.openapi({
      description:
        'Per currency, what their subscriptions bring in a month; a yearly plan counts a twelfth, ' +
        'rounded down.',
    }),
    raised: MoneyListSchema.openapi({
      description: 'Per currency, everything readers have given, net of refunds and disputes.',
    }),
  })
  .openapi('SupporterStats')

export const SupporterSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable().openapi({ description: '`null` once an admin erased it.' }),
    name: z.string().nullable(),
    status: SupporterStatusSchema,
    tier_id: z.string().nullable(),
    amount: z.number().int().nullable(),
    currency: z.string().nullable(),
    interval: z
      .enum(TIER_INTERVALS)
      .nullable()
      .openapi({ description: '`null` for a one-time gift.' }),
    since: z.string(),
    current_period_end: z.string().nullable(),
    cancel_at: z.string().nullable().openapi({
      description:
        'When their subscription is set to end (canceled at the period end, or at a date), while it has not.',
    }),
    canceled_at: z.string().nullable(),
    lifetime_amount: z.number().int().openapi({
      description: 'What they gave, net of refunds and open or lost disputes, in `currency`.',
    }),
  })
  .openapi('Supporter')

export const SupporterPageSchema = pageSchema(SupporterSchema).openapi('SupporterPage')

const StatusListSchema = enumListParam('status', SUPPORTER_STATUSES, {
  description: 'Comma-separated statuses; without it, every supporter.',
  example: 'active,past_due',
})

const SearchSchema = z
  .string()
  .max(200)
  .optional()
  .transform((value) => value?.trim().toLowerCase() || undefined)
  .openapi({
    param: { name: 'q', in: 'query' },
    type: 'string',
    description: 'Text to find in the email or name.',
  })

export const SupporterFilterSchema = z.object({ status: StatusListSchema, q: SearchSchema })

export const SupporterListQuerySchema = PageQuerySchema.extend(SupporterFilterSchema.shape)

export const PaymentSchema = z
  .object({
    id: z
      .string()
      .openapi({ description: 'Stripe’s invoice (subscriptions) or payment intent (gifts).' }),
    supporter_id: z.string().nullable(),
    amount: z.number().int(),
    amount_refunded: z.number().int(),
    currency: z.string(),
    status: z.enum(['paid', 'refunded', 'disputed', 'failed']),
    created_at: z.string(),
  })
  .openapi('Payment')

export const PaymentPageSchema = pageSchema(PaymentSchema).openapi('PaymentPage')
