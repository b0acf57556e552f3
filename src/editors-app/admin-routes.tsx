/**
 * The admins' pages: supporters and their CSV, payments, tiers, editors, the supporters' goal. The supporters' list,
 * its CSV and the payments are the admin API's answers (./bridge.ts).
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import { EDITOR_PAGES } from '../editors/routes'
import { EditorInputSchema } from '../editors/schemas'
import { listEditors, revokeEditor } from '../editors/store'
import { createEditorAccount } from '../editors/tokens'
import type { AppEnv } from '../http/context'
import { newId } from '../http/crypto'
import { ApiError } from '../http/problem'
import type { PaymentPageSchema, SupporterPageSchema } from '../support/supporter-schemas'
import { assertGoalCurrency, GoalInputSchema } from '../support/goal-schemas'
import { clearGoal, readGoal, setGoal } from '../support/goal-store'
import { TierInputSchema, TierPatchSchema } from '../support/schemas'
import { insertTier, listAllTiers, updateTier } from '../support/tier-store'
import { askSupportAdmin } from './bridge'
import { EditorsPage } from './editors-page'
import { formOf, given, parseWith } from './forms'
import { GoalPage } from './goal-page'
import { render } from './layout'
import { PaymentsPage, SupportersPage } from './supporter-pages'
import { TiersPage } from './tiers-page'

export const adminRoutes = new Hono<AppEnv>()

function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    if (c.get('actor').role !== 'admin')
      throw new ApiError('forbidden', 'Only admins may see this page.')
    await next()
  }
}

adminRoutes.use('/supporters', requireAdmin())
adminRoutes.use('/supporters.csv', requireAdmin())
adminRoutes.use('/payments', requireAdmin())
adminRoutes.use('/tiers', requireAdmin())
adminRoutes.use('/tiers/*', requireAdmin())
adminRoutes.use('/editors', requireAdmin())
adminRoutes.use('/editors/*', requireAdmin())
adminRoutes.use('/goal', requireAdmin())
adminRoutes.use('/goal/*', requireAdmin())

/** The admin API's answer to `path` for this session's admin. */
const askApi = (c: Context<AppEnv>, path: string) =>
  askSupportAdmin(c.req.raw, c.env, c.get('actor'), path)

/** The query string of the supporters' filters that are set. */
const supporterFilters = (filters: { status?: string | undefined; q?: string | undefined }) =>
  new URLSearchParams(given(filters) as Record<string, string>)

adminRoutes.get('/supporters', async (c) => {
  const { status, q, cursor } = c.req.query()
  const filters = { status, q }
  const params = supporterFilters(filters)
  if (cursor) params.set('cursor', cursor)
  const page = (await (await askApi(c, `/supporters?${params}`)).json()) as z.infer<
    typeof SupporterPageSchema
  >
  const next = page.next_cursor
    ? `/admin/supporters?${new URLSearchParams({ ...given(filters), cursor: page.next_cursor })}`
    : null
  const csv = `/admin/supporters.csv${supporterFilters(filters).size ? `?${supporterFilters(filters)}` : ''}`
  return render(
    c,
    <SupportersPage
      actor={c.get('actor')}
      filters={filters}
      items={page.items}
      next={next}
      csv={csv}
    />,
  )
})

adminRoutes.get('/supporters.csv', async (c) => {
  const { status, q } = c.req.query()
  return askApi(c, `/supporters.csv?${supporterFilters({ status, q })}`)
})

adminRoutes.get('/payments', async (c) => {
  const cursor = c.req.query('cursor')
  const params = new URLSearchParams(cursor ? { cursor } : {})
  const page = (await (await askApi(c, `/payments?${params}`)).json()) as z.infer<
    typeof PaymentPageSchema
  >
  const next = page.next_cursor
    ? `/admin/payments?${new URLSearchParams({ cursor: page.next_cursor })}`
    : null
  return render(c, <PaymentsPage actor={c.get('actor')} items={page.items} next={next} />)
})

async function showTiers(
  c: Context<AppEnv>,
  messages: { error?: string; notice?: string },
  status: 200 | 400 | 404 = 200,
) {
  const tiers = await listAllTiers(c.env.DB)
  return render(c, <TiersPage actor={c.get('actor')} tiers={tiers} {...messages} />, status)
}

/** A tier form's fields as the API's JSON would carry them (the amount a number). */
function tierFields(form: Record<string, string>) {
  const amount = form.amount?.trim() ?? ''
  return {
    name: form.name,
    description: form.description,
    amount: /^\d{1,9}$/.test(amount) ? Number(amount) : amount,
    currency: form.currency?.trim().toLowerCase(),
    interval: form.interval,
  }
}

/** Runs a tier change, then shows the tiers; a refused change is shown with its reason. */
async function actOnTiers(
  c: Context<AppEnv>,
  notice: string,
  action: (form: Record<string, string>) => Promise<unknown>,
) {
  try {
    await action(await formOf(c))
  } catch (error) {
    if (
      error instanceof ApiError &&
      (error.code === 'validation_failed' || error.code === 'not_found')
    )
      return showTiers(c, { error: error.message }, error.code === 'not_found' ? 404 : 400)
    throw error
  }
  return c.redirect(`/admin/tiers?done=${encodeURIComponent(notice)}`, 303)
}

adminRoutes.get('/tiers', (c) => {
  const done = c.req.query('done')
  return showTiers(c, done === 'created' || done === 'saved' ? { notice: `Tier ${done}.` } : {})
})

adminRoutes.post('/tiers', (c) =>
  actOnTiers(c, 'created', async (form) => {
    const input = parseWith(TierInputSchema, tierFields(form))
    await insertTier(c.env.DB, newId('tier'), input, new Date().toISOString())
  }),
)

async function changeTier(c: Context<AppEnv>, patch: z.infer<typeof TierPatchSchema>) {
  const tier = await updateTier(c.env.DB, c.req.param('id') ?? '', patch, new Date().toISOString())
  if (!tier) throw new ApiError('not_found', 'No tier has this id.')
}

adminRoutes.post('/tiers/:id', (c) =>
  actOnTiers(c, 'saved', async (form) =>
    changeTier(c, parseWith(TierPatchSchema, tierFields(form))),
  ),
)

adminRoutes.post('/tiers/:id/active', (c) =>
  actOnTiers(c, 'saved', async (form) =>
    changeTier(c, parseWith(TierPatchSchema, { active: form.active === 'true' })),
  ),
)

async function showEditors(
  c: Context<AppEnv>,
  extra: { created?: { name: string; token: string }; error?: string } = {},
  status: 200 | 201 | 400 | 409 = 200,
) {
  const cursor = c.req.method === 'GET' ? c.req.query('cursor') : undefined
  const rows = await listEditors(c.env.DB, EDITOR_PAGES.after(cursor), 100)
  const page = EDITOR_PAGES.page(rows, 100)
  const next = page.next_cursor
    ? `/admin/editors?${new URLSearchParams({ cursor: page.next_cursor })}`
    : null
  return render(
    c,
    <EditorsPage actor={c.get('actor')} editors={page.items} next={next} {...extra} />,
    status,
  )
}

adminRoutes.get('/editors', (c) => showEditors(c))

adminRoutes.post('/editors', async (c) => {
  const actor = c.get('actor')
  let input
  try {
    input = parseWith(EditorInputSchema, await formOf(c))
  } catch (error) {
    if (error instanceof ApiError) return showEditors(c, { error: error.message }, 400)
    throw error
  }
  try {
    const { name, token } = await createEditorAccount(c.env.DB, input, actor.name)
    return showEditors(c, { created: { name, token } }, 201)
  } catch (error) {
    if (error instanceof ApiError && error.code === 'conflict')
      return showEditors(c, { error: error.message }, 409)
    throw error
  }
})

adminRoutes.post('/editors/:id/revoke', async (c) => {
  const revoked = await revokeEditor(
    c.env.DB,
    c.req.param('id'),
    c.get('actor').name,
    new Date().toISOString(),
  )
  if (!revoked) throw new ApiError('not_found', 'No active editor has this id.')
  return c.redirect('/admin/editors', 303)
})

async function showGoal(
  c: Context<AppEnv>,
  messages: { error?: string; notice?: string },
  status: 200 | 400 = 200,
) {
  const goal = await readGoal(c.env.DB)
  const currencies = [...c.get('config').support.currencies]
  return render(
    c,
    <GoalPage actor={c.get('actor')} goal={goal} currencies={currencies} {...messages} />,
    status,
  )
}

adminRoutes.get('/goal', (c) => {
  const done = c.req.query('done')
  return showGoal(c, done === 'saved' || done === 'removed' ? { notice: `Goal ${done}.` } : {})
})

adminRoutes.post('/goal', async (c) => {
  const form = await formOf(c)
  const target = form.target?.trim() ?? ''
  try {
    // The form always sends a currency; only a monthly goal has one.
    const input = parseWith(GoalInputSchema, {
      kind: form.kind,
      target: /^\d{1,10}$/.test(target) ? Number(target) : target,
      currency: form.kind === 'monthly' ? form.currency?.trim() || null : null,
    })
    assertGoalCurrency(c.get('config'), input)
    await setGoal(c.env.DB, input, new Date().toISOString(), c.get('actor').name)
  } catch (error) {
    if (error instanceof ApiError && error.code === 'validation_failed')
      return showGoal(c, { error: error.message }, 400)
    throw error
  }
  return c.redirect('/admin/goal?done=saved', 303)
})

adminRoutes.post('/goal/remove', async (c) => {
  await clearGoal(c.env.DB)
  return c.redirect('/admin/goal?done=removed', 303)
})
