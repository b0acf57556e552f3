import { createScheduledController } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { asEditor, createEditor, detailOf, newReport } from '../helpers/editors'
import { reportInput } from '../helpers/factories'
import { call, env, expectProblem } from '../helpers/http'
import { delivered, stripeEvent } from '../helpers/stripe'
import { giver, paymentOf, subscriber, supporterOf, uniqueEmail } from '../helpers/supporters'

async function report(overrides: Record<string, unknown> = {}) {
  const response = await call('/v1/reports', { json: reportInput(overrides) })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; submission_id: string; status_url: string }
}

const linkOf = (statusUrl: string) => {
  const url = new URL(statusUrl)
  return `${url.pathname}${url.search}`
}

/** The stored email and IP hash of a submission, as the database holds them. */
const stored = (id: string) =>
  env.DB.prepare('SELECT email, ip_hash FROM submissions WHERE id = ?')
    .bind(id)
    .first<{ email: string | null; ip_hash: string | null }>()

describe('DELETE /v1/submissions/{id}?token=: a reader erases their email', () => {
  it('erases the email from that submission only, keeping the report text', async () => {
    const mine = await report({ email: 'reader@example.org', comment: 'The date is wrong.' })
    const other = await report({ email: 'other@example.org' })
    const response = await call(linkOf(mine.status_url), { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(await response.text()).toBe('')
    expect((await stored(mine.submission_id))?.email).toBeNull()
    expect((await stored(other.submission_id))?.email).toBe('other@example.org')
    const { body } = await detailOf(mine.id)
    expect(body.submission_list[0]).toMatchObject({ email: null, comment: 'The date is wrong.' })
    expect((await call(linkOf(mine.status_url), { method: 'DELETE' })).status).toBe(204)
  })

  it('answers 404 to a wrong token or an unknown id, and 400 without a token, erasing nothing', async () => {
    const mine = await report({ email: 'keep@example.org' })
    const { pathname } = new URL(mine.status_url)
    await expectProblem(
      await call(`${pathname}?token=wrong`, { method: 'DELETE' }),
      404,
      'not_found',
    )
    const token = new URL(mine.status_url).searchParams.get('token')
    await expectProblem(
      await call(`/v1/submissions/sub_unknown?token=${token}`, { method: 'DELETE' }),
      404,
      'not_found',
    )
    await expectProblem(await call(pathname, { method: 'DELETE' }), 400, 'validation_failed')
    expect((await stored(mine.submission_id))?.email).toBe('keep@example.org')
  })
})

describe('POST /v1/admin/erasure: an admin erases an address everywhere', () => {
  it('erases it from every submission and anonymises its supporter, keeping payments', async () => {
    const email = uniqueEmail('erase')
    const first = await report({ email })
    const second = await report({ email: email.toUpperCase() })
    const bystander = await report({ email: uniqueEmail('bystander') })
    const reader = giver({ email, name: 'Grace Hopper' })
    await delivered(reader.completed())
    const supporter = await supporterOf(email)
    const admin = await createEditor('admin', 'Data Desk')

    const response = await asEditor(
      '/v1/admin/erasure',
      { json: { email: ` ${email.toUpperCase()} ` } },
      admin.token,
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ submissions: 2, supporters: 1 })

    expect((await stored(first.submission_id))?.email).toBeNull()
    expect((await stored(second.submission_id))?.email).toBeNull()
    expect((await stored(bystander.submission_id))?.email).not.toBeNull()
    expect(await supporterOf(email)).toBeNull()
    const payment = await paymentOf(reader.paymentIntent)
    expect(payment).toMatchObject({ supporter_id: supporter?.id, amount: reader.amount })
    const listed = await asEditor(`/v1/admin/supporters?status=one_time&limit=100`)
    const items = ((await listed.json()) as { items: { id: string }[] }).items
    expect(items.find((item) => item.id === supporter?.id)).toMatchObject({
      email: null,
      name: null,
      status: 'one_time',
      lifetime_amount: reader.amount,
    })
    const audit = await env.DB.prepare('SELECT * FROM erasures').all<Record<string, unknown>>()
    expect(audit.results).toEqual([
      expect.objectContaining({ actor: 'Data Desk', submissions: 2, supporters: 1 }),
    ])
    expect(JSON.stringify(audit.results).toLowerCase()).not.toContain(email)
  })

  it('never names an erased supporter again from what Stripe sends later', async () => {
    const reader = subscriber({ name: 'Ada Lovelace' })
    await delivered(reader.completed())
    await delivered(reader.state('created', 'active'))
    await asEditor('/v1/admin/erasure', { json: { email: reader.email } })
    await delivered(reader.invoice(true))
    await delivered(
      stripeEvent('customer.updated', {
        id: reader.customer,
        object: 'customer',
        email: reader.email,
        name: 'Ada Lovelace',
      }),
    )
    expect(await supporterOf(reader.email)).toBeNull()
    const names = await env.DB.prepare(
      'SELECT count(*) AS n FROM supporters WHERE email = ? OR name = ?',
    )
      .bind(reader.email, 'Ada Lovelace')
      .first<{ n: number }>()
    expect(names?.n).toBe(0)
  })

  it('answers 0 and 0 for an address nobody had', async () => {
    const response = await asEditor('/v1/admin/erasure', { json: { email: uniqueEmail('nobody') } })
    expect(await response.json()).toEqual({ submissions: 0, supporters: 0 })
  })

  it('is for admins: 401 without a token, 403 for an editor, erasing nothing', async () => {
    const email = uniqueEmail('kept')
    const mine = await report({ email })
    await expectProblem(await call('/v1/admin/erasure', { json: { email } }), 401, 'unauthorized')
    const editor = await createEditor('editor')
    await expectProblem(
      await asEditor('/v1/admin/erasure', { json: { email } }, editor.token),
      403,
      'forbidden',
    )
    expect((await stored(mine.submission_id))?.email).toBe(email)
  })

  it.each([
    ['no email', {}],
    ['not an address', { email: 'nobody' }],
    ['a number', { email: 42 }],
    ['an over-long address', { email: `${'a'.repeat(250)}@example.org` }],
  ])('answers 400 to %s', async (_, body) => {
    await expectProblem(
      await asEditor('/v1/admin/erasure', { json: body }),
      400,
      'validation_failed',
    )
  })

  it('answers 400 to malformed JSON and 415 to a form', async () => {
    const post = (body: string, type: string) =>
      asEditor('/v1/admin/erasure', { method: 'POST', body, headers: { 'content-type': type } })
    await expectProblem(await post('{"email":', 'application/json'), 400, 'validation_failed')
    await expectProblem(
      await post('email=a@example.org', 'application/x-www-form-urlencoded'),
      415,
      'unsupported_media_type',
    )
  })
})

describe('retention: the hourly job erases what names readers of long-closed reports', () => {
  const run = (now: number, retention?: string) =>
    worker.scheduled(
      createScheduledController({ scheduledTime: now, cron: '17 * * * *' }),
      retention ? { ...env, RETENTION_DAYS: retention } : env,
    )

  it('erases emails and IP hashes RETENTION_DAYS after the report closed, and nothing else', async () => {
    const closedLongAgo = await report({ email: 'old@example.org', comment: 'Old fix.' })
    const closedRecently = await report({ email: 'recent@example.org' })
    const open = await report({ email: 'open@example.org' })
    for (const id of [closedLongAgo.id, closedRecently.id]) {
      expect(
        (
          await asEditor(`/v1/admin/reports/${id}`, {
            method: 'PATCH',
            json: { status: 'rejected' },
          })
        ).status,
      ).toBe(200)
    }
    const day = 86_400_000
    await env.DB.prepare('UPDATE reports SET closed_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 31 * day).toISOString(), closedLongAgo.id)
      .run()
    await run(Date.now(), '30')
    expect(await stored(closedLongAgo.submission_id)).toEqual({ email: null, ip_hash: null })
    expect((await stored(closedRecently.submission_id))?.email).toBe('recent@example.org')
    expect((await stored(open.submission_id))?.ip_hash).toMatch(/^[0-9a-f]{64}$/)
    expect((await detailOf(closedLongAgo.id)).body.submission_list[0]).toMatchObject({
      comment: 'Old fix.',
    })
  })

  it('keeps a reopened report’s readers: its clock starts again when it closes again', async () => {
    const id = await newReport({ email: 'reopened@example.org' })
    await asEditor(`/v1/admin/reports/${id}`, { method: 'PATCH', json: { status: 'rejected' } })
    await asEditor(`/v1/admin/reports/${id}`, { method: 'PATCH', json: { status: 'triaged' } })
    const row = await env.DB.prepare('SELECT closed_at FROM reports WHERE id = ?')
      .bind(id)
      .first<{ closed_at: string | null }>()
    expect(row?.closed_at).toBeNull()
    await run(Date.now() + 400 * 86_400_000)
    const email = await env.DB.prepare('SELECT email FROM submissions WHERE report_id = ?')
      .bind(id)
      .first<{ email: string | null }>()
    expect(email?.email).toBe('reopened@example.org')
  })

  it('counts a honeypot report as closed from the start', async () => {
    const spam = await report({ website: 'bot', email: 'bot@example.org' })
    await run(Date.now() + 366 * 86_400_000)
    expect(await stored(spam.submission_id)).toEqual({ email: null, ip_hash: null })
  })
})
