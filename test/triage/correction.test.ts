import { describe, expect, it } from 'vitest'
import {
  asEditor,
  createEditor,
  detailOf,
  moveTo,
  newReport,
  patchReport,
} from '../helpers/editors'
import { count, reportInput } from '../helpers/factories'
import { call, env, expectProblem, SITE } from '../helpers/http'

const publish = (id: string, body: unknown, headers: Record<string, string> = {}, token?: string) =>
  asEditor(`/v1/admin/reports/${id}/correction`, { json: body, headers }, token)

describe('POST /v1/admin/reports/{id}/correction', () => {
  it('publishes the correction and fixes the report in one step', async () => {
    const editor = await createEditor('editor', 'Lena Vogel')
    const url = `${SITE}/2026/11/publish`
    const id = await newReport({ url, title: 'Council passes budget' })
    const response = await publish(
      id,
      {
        kind: 'correction',
        text: 'An earlier version misstated the budget.',
        article_title: ' Council passes 2027 budget ',
      },
      {},
      editor.token,
    )
    expect(response.status).toBe(201)
    const correction = (await response.json()) as Record<string, string>
    expect(correction).toEqual({
      id: expect.stringMatching(/^cor_/),
      report_id: id,
      url,
      title: 'Council passes budget',
      article_title: 'Council passes 2027 budget',
      kind: 'correction',
      text: 'An earlier version misstated the budget.',
      published_at: expect.any(String),
    })
    const { body, etag } = await detailOf(id)
    expect(response.headers.get('etag')).toBe(etag)
    expect(body).toMatchObject({ status: 'fixed', correction_id: correction.id })
    expect(body.events.at(-1)).toMatchObject({
      actor: 'Lena Vogel',
      action: 'correction',
      from: 'new',
      to: 'fixed',
    })
  })

  it.each(['new', 'triaged', 'accepted'])('fixes a report from %s', async (status) => {
    const id = await newReport()
    await moveTo(id, status)
    expect((await publish(id, { kind: 'clarification', text: 'Clarified.' })).status).toBe(201)
    expect((await detailOf(id)).body.status).toBe('fixed')
  })

  it.each(['fixed', 'rejected', 'spam'])('refuses a %s report with 409', async (status) => {
    const id = await newReport()
    await moveTo(id, status)
    const corrections = await count(env.DB, 'corrections')
    await expectProblem(await publish(id, { kind: 'update', text: 'x' }), 409, 'conflict')
    expect(await count(env.DB, 'corrections')).toBe(corrections)
  })

  it('allows one correction per report, kept when the report is reopened', async () => {
    const id = await newReport()
    expect((await publish(id, { kind: 'correction', text: 'First.' })).status).toBe(201)
    expect((await patchReport(id, { status: 'triaged' })).status).toBe(200)
    const reopened = await detailOf(id)
    expect(reopened.body.correction_id).toMatch(/^cor_/)
    await expectProblem(await publish(id, { kind: 'correction', text: 'Second.' }), 409, 'conflict')
    const stored = await env.DB.prepare('SELECT text FROM corrections WHERE report_id = ?')
      .bind(id)
      .all<{ text: string }>()
    expect(stored.results).toEqual([{ text: 'First.' }])
  })

  it('publishes once when two editors press at the same time', async () => {
    const id = await newReport()
    const answers = await Promise.all(
      [1, 2, 3].map((n) => publish(id, { kind: 'correction', text: `Take ${n}` })),
    )
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409, 409])
    expect(
      (
        await env.DB.prepare('SELECT count(*) AS n FROM corrections WHERE report_id = ?')
          .bind(id)
          .first<{ n: number }>()
      )?.n,
    ).toBe(1)
  })

  it('leaves the report unchanged when the write batch fails', async () => {
    const id = await newReport()
    const before = await detailOf(id)
    let batches = 0
    const failing = new Proxy(env.DB, {
      get(target, name) {
        // The first batch reads the report; the second is the write.
        if (name === 'batch') {
          return (statements: D1PreparedStatement[]) =>
            ++batches === 2
              ? Promise.reject(new Error('D1_ERROR: Network connection lost.'))
              : target.batch(statements)
        }
        const value = Reflect.get(target, name)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const response = await call(`/v1/admin/reports/${id}/correction`, {
      json: { kind: 'correction', text: 'Never published.' },
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
      env: { DB: failing },
    })
    await expectProblem(response, 500, 'internal')
    expect(batches).toBe(2)
    expect((await detailOf(id)).body).toEqual(before.body)
    expect(
      (
        await env.DB.prepare('SELECT count(*) AS n FROM corrections WHERE report_id = ?')
          .bind(id)
          .first<{ n: number }>()
      )?.n,
    ).toBe(0)
  })

  it('rolls the whole batch back when its last statement fails', async () => {
    const id = await newReport()
    const before = await detailOf(id)
    await env.DB.exec(
      "CREATE TRIGGER fail_correction BEFORE INSERT ON corrections BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END",
    )
    try {
      await expectProblem(
        await publish(id, { kind: 'correction', text: 'Never.' }),
        500,
        'internal',
      )
    } finally {
      await env.DB.exec('DROP TRIGGER fail_correction')
    }
    expect((await detailOf(id)).body).toEqual(before.body)
  })

  it('answers 412 to a stale If-Match', async () => {
    const id = await newReport()
    const { etag } = await detailOf(id)
    await patchReport(id, { status: 'triaged' })
    await expectProblem(
      await publish(id, { kind: 'correction', text: 'x' }, { 'if-match': etag }),
      412,
      'precondition_failed',
    )
    expect((await detailOf(id)).body.status).toBe('triaged')
  })

  it.each([
    ['no text', { kind: 'correction' }],
    ['blank text', { kind: 'correction', text: '   ' }],
    ['over-long text', { kind: 'correction', text: 't'.repeat(2001) }],
    ['an unknown kind', { kind: 'retraction', text: 'x' }],
    ['text of the wrong type', { kind: 'correction', text: 42 }],
  ])('answers 400 to %s', async (_, body) => {
    const id = await newReport()
    await expectProblem(await publish(id, body), 400, 'validation_failed')
    expect((await detailOf(id)).body.status).toBe('new')
  })

  it('answers 404 for an unknown report and 401 without a token', async () => {
    await expectProblem(
      await publish('rep_none', { kind: 'correction', text: 'x' }),
      404,
      'not_found',
    )
    const id = await newReport()
    await expectProblem(
      await call(`/v1/admin/reports/${id}/correction`, { json: { kind: 'correction', text: 'x' } }),
      401,
      'unauthorized',
    )
  })

  it('shows the correction on the reader’s status link', async () => {
    const created = await call('/v1/reports', { json: reportInput() })
    const { id, status_url } = (await created.json()) as { id: string; status_url: string }
    const url = new URL(status_url)
    expect(await (await call(url.pathname + url.search)).json()).toEqual({
      status: 'new',
      correction: null,
    })
    await publish(id, { kind: 'clarification', text: 'We clarified the figure.' })
    expect(await (await call(url.pathname + url.search)).json()).toEqual({
      status: 'fixed',
      correction: {
        kind: 'clarification',
        text: 'We clarified the figure.',
        published_at: expect.any(String),
      },
    })
  })
})
