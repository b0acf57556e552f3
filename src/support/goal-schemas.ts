/** The supporters' goal: what admins set, and what readers are shown of it. */
import { z } from '@hono/zod-openapi'
import type { Config } from '../env'
import { ApiError } from '../http/problem'
import { CurrencySchema } from './schemas'

export const GOAL_KINDS = ['supporters', 'monthly'] as const
export const GoalKindSchema = z.enum(GOAL_KINDS).openapi('SupportersGoalKind', {
  description:
    '`supporters`: how many supporters are active (or past due); `monthly`: what their ' +
    'subscriptions bring in a month in one currency.',
})

/** A thousand million: supporters no newsroom has, or 10 000 000.00 a month. */
export const GOAL_TARGET_MAX = 1_000_000_000

export const GoalInputSchema = z
  .object({
    kind: GoalKindSchema,
    target: z
      .number()
      .int('must be a whole number (of supporters, or of minor units: 500 = 5.00 USD)')
      .min(1)
      .max(GOAL_TARGET_MAX)
      .openapi({
        type: 'integer',
        minimum: 1,
        maximum: GOAL_TARGET_MAX,
        description: 'Supporters, or for `monthly` an amount in the currency’s minor unit.',
      }),
    currency: CurrencySchema.nullish().openapi({
      type: ['string', 'null'],
      description:
        'Required for `monthly`: one of SUPPORT_CURRENCIES (default usd, eur, gbp). A ' +
        '`supporters` goal has none: absent or `null`, anything else is refused.',
    }),
  })
  .superRefine((input, ctx) => {
    const currency = input.currency ?? null
    if (input.kind === 'monthly' && currency === null)
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'required for a monthly goal' })
    if (input.kind === 'supporters' && currency !== null)
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'a supporters goal counts people and has no currency',
      })
  })
  .transform(({ kind, target, currency }) => ({ kind, target, currency: currency ?? null }))
  .openapi('SupportersGoalInput')

export type GoalInput = z.infer<typeof GoalInputSchema>

export const SupportersGoalSchema = z
  .object({
    kind: GoalKindSchema,
    target: z.number().int(),
    current: z
      .number()
      .int()
      .openapi({
        description:
          'Counted as `GET /v1/supporters/stats` counts: its `active_supporters`, or its ' +
          '`monthly_recurring` amount in `currency` (a yearly plan a twelfth, rounded down).',
      }),
    currency: z.string().nullable().openapi({ description: '`null` for a `supporters` goal.' }),
  })
  .openapi('SupportersGoal')

export type SupportersGoal = z.infer<typeof SupportersGoalSchema>

/** A monthly goal's currency must be one the newsroom accepts (SUPPORT_CURRENCIES). */
export function assertGoalCurrency(config: Config, input: GoalInput): void {
  if (input.currency === null || config.support.currencies.has(input.currency)) return
  const accepted = [...config.support.currencies].join(', ')
  throw new ApiError('validation_failed', `A monthly goal’s currency must be one of ${accepted}.`, {
    errors: [{ path: 'currency', message: `must be one of ${accepted}` }],
  })
}
