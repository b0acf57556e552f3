/**
 * Notifications end to end in workerd: a write through the Worker, the real local NOTIFY queue
 * and its consumer (this same Worker, as wrangler.toml declares it), the fake receiver as the
 * newsroom's endpoint, and a Standard Webhooks library checking every delivery.
 */
import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { asEditor, newReport } from '../helpers/editors'
import { reportInput } from '../helpers/factories'
import { call, env } from '../helpers/http'
import { eventually, hook, readerEmails, register, settle, type Endpoint } from '../helpers/notify'
import { delivered } from '../helpers/stripe'
import { giver, subscriber } from '../helpers/supporters'

interface Delivery {
  type: string
  timestamp: string
  data: Record<string, any>
}

/** Every delivery the endpoint got, each verified by the standardwebhooks library. */
async function verified(target: ReturnType<typeof hook>, endpoint: Endpoint) {
  const verifier = new Webhook(endpoint.secret)
  return (await target.requests()).map((request) => {
    const payload = verifier.verify(request.body, request.headers) as Delivery
    expect(JSON.parse(request.body)).toEqual(payload)
    return { ...payload, id: request.headers['webhook-id'] }
  })
}

/** The deliveries once `count` arrived, and after a further wait, so that extras would show. */
async function deliveries(target: ReturnType<typeof hook>, endpoint: Endpoint, count: number) {
  await eventually(target.requests, (got) => got.length >= count)
  await settle()
  return verified(target, endpoint)
}

async function report(id: string) {
  return (await (await asEditor(`/v1/admin/reports/${id}`)).json()) as Record<string, any>
}

describe('report.created', () => {
  it('tells the endpoint of a new report once: not of a retry, a joining reader or spam', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['report.created'])
    const input = reportInput()
    const headers = { 'idempotency-key': crypto.randomUUID() }
    const first = await call('/v1/reports', { json: input, headers })
    const retried = await call('/v1/reports', { json: input, headers })
    expect(await retried.json()).toEqual(await first.clone().json())
    const created = (await first.json()) as { id: string }
    const joined = await call('/v1/reports', { json: { ...input, comment: 'Same here' } })
    expect(((await joined.json()) as { id: string }).id).toBe(created.id)
    await call('/v1/reports', { json: reportInput({ website: 'https://spam.example' }) })

    const got = await deliveries(target, endpoint, 1)
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ type: 'report.created', data: { report: { id: created.id } } })
    // The report as the admin API shows it, and as it was committed.
    const { submission_list: _list, events: _events, ...item } = await report(created.id)
    expect(Object.keys(got[0]?.data.report).sort()).toEqual(Object.keys(item).sort())
    const { id, url, quote, first_reported_at } = item
    expect(got[0]?.data.report).toMatchObject({ id, url, quote, first_reported_at })
    expect(JSON.stringify(got[0])).not.toContain('@')
  }, 30_000)

  it('records each delivery in the endpoint’s log', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['report.created'])
    await newReport()
    const [sent] = await deliveries(target, endpoint, 1)
    const log = await asEditor(`/v1/admin/webhooks/${endpoint.id}/deliveries`)
    const { items } = (await log.json()) as { items: Record<string, unknown>[] }
    expect(items).toEqual([
      expect.objectContaining({
        event: 'report.created',
        message_id: sent?.id,
        attempt: 1,
        status_code: 200,
        error: null,
        outcome: 'delivered',
      }),
    ])
  }, 30_000)
})

describe('report.updated and correction.published', () => {
  it('tells of each change once it is committed, and of nothing a refused change did', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['report.updated', 'correction.published'])
    const id = await newReport({ email: 'reader@example.org' })
    const triaged = await asEditor(`/v1/admin/reports/${id}`, {
      method: 'PATCH',
      json: { status: 'triaged', assignee: 'Mara' },
    })
    expect(triaged.status).toBe(200)
    const refused = await asEditor(`/v1/admin/reports/${id}`, {
      method: 'PATCH',
      json: { status: 'new' },
    })
    expect(refused.status).toBe(409)
    const published = await asEditor(`/v1/admin/reports/${id}/correction`, {
      json: { kind: 'correction', text: 'An earlier version misstated the budget.' },
    })
    expect(published.status).toBe(201)
    const correction = await published.json()

    const got = await deliveries(target, endpoint, 3)
    expect(got.map((delivery) => delivery.type).sort()).toEqual([
      'correction.published',
      'report.updated',
      'report.updated',
    ])
    const updates = got.filter((delivery) => delivery.type === 'report.updated')
    const moved = updates.find((delivery) => delivery.data.report.status === 'triaged')
    expect(moved?.data.changes).toEqual([
      expect.objectContaining({ action: 'status', from: 'new', to: 'triaged' }),
      expect.objectContaining({ action: 'assign', from: null, to: 'Mara' }),
    ])
    const fixed = updates.find((delivery) => delivery.data.report.status === 'fixed')
    expect(fixed?.data.changes).toEqual([
      expect.objectContaining({ action: 'correction', to: 'fixed' }),
    ])
    const told = got.find((delivery) => delivery.type === 'correction.published')
    expect(told?.data).toEqual({ correction, report_id: id })
  }, 30_000)

  it('never tells of spam', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['report.updated'])
    const id = await newReport()
    const moved = await asEditor(`/v1/admin/reports/${id}`, {
      method: 'PATCH',
      json: { status: 'spam' },
    })
    expect(moved.status).toBe(200)
    await settle()
    expect(await verified(target, endpoint)).toEqual([])
  }, 30_000)
})

describe('the editors’ web app', () => {
  it('tells the newsroom’s tools of the changes editors make in it, as through the API', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['report.updated', 'correction.published'])
    const id = await newReport()
    const form = (path: string, fields: Record<string, string>, cookie?: string) =>
      call(`https://api.news.example/admin${path}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://api.news.example',
          ...(cookie ? { cookie } : {}),
        },
      })
    const signedIn = await form('/sign-in', { token: env.ADMIN_TOKEN! })
    const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!
    const html = await (await call(`/admin/reports/${id}`, { headers: { cookie } })).text()
    const etag = /name="etag" value="([^"]+)"/.exec(html)![1]!
    const moved = await form(`/reports/${id}/status`, { etag, status: 'triaged' }, cookie)
    expect(moved.status).toBe(303)

    const [told] = await deliveries(target, endpoint, 1)
    expect(told).toMatchObject({
      type: 'report.updated',
      data: { report: { id, status: 'triaged' } },
    })
    expect(told?.data.changes).toEqual([
      expect.objectContaining({ action: 'status', from: 'new', to: 'triaged', actor: 'admin' }),
    ])
  }, 30_000)
})

describe('supporter.started and supporter.canceled', () => {
  it('tells of a supporter who starts and of one who cancels, once each', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['supporter.started', 'supporter.canceled'])
    const reader = subscriber({ name: 'Ada Supporter' })
    await delivered(reader.completed())
    const created = reader.state('created', 'active')
    await delivered(created)
    expect(await delivered(created)).toBe('duplicate')
    await delivered(reader.invoice(true))
    await delivered(reader.state('deleted', 'canceled'))

    const got = await deliveries(target, endpoint, 2)
    expect(got.map((delivery) => delivery.type).sort()).toEqual([
      'supporter.canceled',
      'supporter.started',
    ])
    const started = got.find((delivery) => delivery.type === 'supporter.started')
    expect(started?.data.supporter).toMatchObject({ name: 'Ada Supporter', email: reader.email })
    const canceled = got.find((delivery) => delivery.type === 'supporter.canceled')
    expect(canceled?.data.supporter).toMatchObject({ status: 'canceled' })
  }, 30_000)
})

describe('a one-time gift', () => {
  it('is a supporter starting; a gift still unpaid is not, until it is paid', async () => {
    const target = hook()
    const endpoint = await register(target.url, ['supporter.started', 'supporter.canceled'])
    const gift = giver({ name: 'Grace Giver' })
    await delivered(gift.completedUnpaid())
    await settle()
    expect(await verified(target, endpoint)).toEqual([])
    await delivered(gift.asyncSucceeded())
    const got = await deliveries(target, endpoint, 1)
    expect(got).toEqual([
      expect.objectContaining({
        type: 'supporter.started',
        data: { supporter: expect.objectContaining({ status: 'one_time', name: 'Grace Giver' }) },
      }),
    ])
  }, 30_000)
})

describe('readers’ emails through the queue', () => {
  it('emails the readers who left an address when their report is corrected', async () => {
    const input = reportInput({ email: 'first@example.org', lang: 'es' })
    const first = (await (await call('/v1/reports', { json: input })).json()) as {
      id: string
      submission_id: string
    }
    const second = (await (
      await call('/v1/reports', { json: { ...input, email: undefined } })
    ).json()) as { submission_id: string }
    const published = await asEditor(`/v1/admin/reports/${first.id}/correction`, {
      json: { kind: 'correction', text: 'Corregido.' },
    })
    expect(published.status).toBe(201)
    const rows = await eventually(
      () => readerEmails(first.submission_id),
      (found) => found.some((row) => row.state === 'sent'),
    )
    expect(rows).toEqual([
      expect.objectContaining({ outcome: 'correction', state: 'sent', attempts: 1 }),
    ])
    expect(rows[0]?.message_id).toBeTruthy()
    expect(await readerEmails(second.submission_id)).toEqual([])
    expect(env.EMAIL_FROM).toBeTruthy()
  }, 30_000)

  it('tells readers of a rejection, and readers of a duplicate of the original’s correction', async () => {
    const rejected = (await (
      await call('/v1/reports', { json: reportInput({ email: 'no@example.org' }) })
    ).json()) as { id: string; submission_id: string }
    const original = await newReport()
    const duplicate = (await (
      await call('/v1/reports', { json: reportInput({ email: 'dup@example.org' }) })
    ).json()) as { id: string; submission_id: string }
    const late = (await (
      await call('/v1/reports', { json: reportInput({ email: 'late@example.org' }) })
    ).json()) as { id: string; submission_id: string }
    const patch = (id: string, json: unknown) =>
      asEditor(`/v1/admin/reports/${id}`, { method: 'PATCH', json })
    expect((await patch(rejected.id, { status: 'rejected' })).status).toBe(200)
    expect(
      (await patch(duplicate.id, { status: 'duplicate', duplicate_of: original })).status,
    ).toBe(200)
    const published = await asEditor(`/v1/admin/reports/${original}/correction`, {
      json: { kind: 'clarification', text: 'We clarified the figure.' },
    })
    expect(published.status).toBe(201)
    // Closed as a duplicate of a report already corrected: told at once.
    expect((await patch(late.id, { status: 'duplicate', duplicate_of: original })).status).toBe(200)

    for (const [reader, outcome] of [
      [rejected, 'rejected'],
      [duplicate, 'correction'],
      [late, 'correction'],
    ] as const) {
      const rows = await eventually(
        () => readerEmails(reader.submission_id),
        (found) => found.some((row) => row.state === 'sent'),
      )
      expect(rows).toEqual([expect.objectContaining({ outcome, state: 'sent' })])
    }
  }, 45_000)
})
