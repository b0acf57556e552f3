/** The admins' supporters' goal page of the editors' web app. */
import { describe, expect, it } from 'vitest'
import { createEditor } from '../helpers/editors'
import { call, env } from '../helpers/http'
import { delivered } from '../helpers/stripe'
import { subscriber } from '../helpers/supporters'

const APP = 'https://api.news.example'

/** A form post from the app's own page (its Origin, unless given), with the session cookie. */
function post(path: string, fields: Record<string, string>, cookie: string, origin = APP) {
  return call(path, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin, cookie },
  })
}

const page = (path: string, cookie: string) => call(path, { headers: { cookie } })

async function signIn(token = env.ADMIN_TOKEN!): Promise<string> {
  const response = await call('/admin/sign-in', {
    method: 'POST',
    body: new URLSearchParams({ token }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP },
  })
  expect(response.status).toBe(303)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

const storedGoal = async () =>
  (await env.DB.prepare('SELECT kind, target, currency FROM supporters_goal').all()).results

describe('the goal page', () => {
  it('is linked for admins and says when no goal is set', async () => {
    const cookie = await signIn()
    expect(await (await page('/admin', cookie)).text()).toContain('href="/admin/goal"')
    const response = await page('/admin/goal', cookie)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<a href="/admin/goal" aria-current="page">Goal</a>')
    expect(html).toContain('No goal is set.')
    expect(html).toContain('<label for="goal-kind">Kind</label>')
    expect(html).toMatch(/<label for="goal-target">Target/)
    expect(html).toMatch(/<label for="goal-currency">Currency/)
    expect(html).not.toContain('Remove goal')
  })

  it('saves a goal and shows where it stands, then removes it', async () => {
    const reader = subscriber({ amount: 1_250, currency: 'eur' })
    await delivered(reader.completed())
    await delivered(reader.state('created', 'active'))
    const cookie = await signIn()

    const saved = await post(
      '/admin/goal',
      { kind: 'monthly', target: '10000', currency: 'eur' },
      cookie,
    )
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/admin/goal?done=saved')
    expect(await storedGoal()).toEqual([{ kind: 'monthly', target: 10_000, currency: 'eur' }])
    const shown = await (await page('/admin/goal?done=saved', cookie)).text()
    expect(shown).toContain('role="status">Goal saved.')
    expect(shown).toContain('€12.50 of €100.00 a month (12%)')
    expect(shown).toMatch(/<progress max="10000" value="1250"/)

    // A supporters goal takes no currency, whatever the form's currency select holds.
    await post('/admin/goal', { kind: 'supporters', target: '40', currency: 'usd' }, cookie)
    expect(await storedGoal()).toEqual([{ kind: 'supporters', target: 40, currency: null }])
    expect(await (await page('/admin/goal', cookie)).text()).toContain('1 of 40 supporters (2%)')

    const removed = await post('/admin/goal/remove', {}, cookie)
    expect(removed.status).toBe(303)
    expect(removed.headers.get('location')).toBe('/admin/goal?done=removed')
    expect(await storedGoal()).toEqual([])
    expect((await call('/v1/supporters/goal')).status).toBe(404)
  })

  it('shows a refused goal with role="alert" and keeps the goal as it was', async () => {
    const cookie = await signIn()
    await post('/admin/goal', { kind: 'supporters', target: '25' }, cookie)
    const cases: Record<string, string>[] = [
      { kind: 'supporters', target: '0' },
      { kind: 'supporters', target: 'lots' },
      { kind: 'supporters', target: '99999999999' },
      { kind: 'readers', target: '5' },
      { kind: 'monthly', target: '500', currency: '' },
      { kind: 'monthly', target: '500', currency: 'jpy' },
    ]
    for (const fields of cases) {
      const response = await post('/admin/goal', fields, cookie)
      expect(response.status, JSON.stringify(fields)).toBe(400)
      expect(await response.text()).toContain('role="alert"')
    }
    expect(await storedGoal()).toEqual([{ kind: 'supporters', target: 25, currency: null }])
  })

  it('refuses changes from another origin, and an editor gets 403', async () => {
    const cookie = await signIn()
    await post('/admin/goal', { kind: 'supporters', target: '25' }, cookie)
    const foreign = 'https://api.news.example:8443'
    expect(
      (await post('/admin/goal', { kind: 'supporters', target: '3' }, cookie, foreign)).status,
    ).toBe(403)
    expect((await post('/admin/goal/remove', {}, cookie, foreign)).status).toBe(403)
    const editor = await createEditor('editor')
    const editorCookie = await signIn(editor.token)
    const response = await page('/admin/goal', editorCookie)
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('role="alert"')
    expect((await post('/admin/goal/remove', {}, editorCookie)).status).toBe(403)
    expect(await storedGoal()).toEqual([{ kind: 'supporters', target: 25, currency: null }])
  })
})
