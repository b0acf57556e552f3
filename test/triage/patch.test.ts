import { describe, expect, it } from 'vitest'
import { REPORT_STATUSES } from '../../src/reports/schemas'
import { canMove } from '../../src/triage/workflow'
import {
  asEditor,
  createEditor,
  detailOf,
  moveTo,
  newReport,
  patchReport,
  type Detail,
} from '../helpers/editors'
import { call, env, expectProblem, SITE } from '../helpers/http'

const REACHABLE = ['new', 'triaged', 'accepted', 'fixed', 'rejected', 'spam'] as const

describe('PATCH /v1/admin/reports/{id}: the workflow over HTTP', () => {
  const moves = REACHABLE.flatMap((from) => REPORT_STATUSES.map((to) => [from, to] as const))

  it.each(moves)('from %s to %s answers as the workflow says', async (from, to) => {
    const id = await newReport()
    await moveTo(id, from)
    const target =
      to === 'duplicate' ? { status: to, duplicate_of: await newReport() } : { status: to }
    const before = await detailOf(id)
    const response = await patchReport(id, target)
    if (canMove(from, to)) {
      expect(response.status).toBe(200)
      const body = (await response.json()) as Detail
      expect(body.status).toBe(to)
      expect(body.events.length).toBe(before.body.events.length + (from === to ? 0 : 1))
    } else {
      await expectProblem(response, 409, 'conflict')
      const after = await detailOf(id)
      expect(after.body).toEqual(before.body)
      expect(after.etag).toBe(before.etag)
    }
  })

  it('records every change as an event with the acting editor', async () => {
    const editor = await createEditor('editor', 'Mia Park')
    const id = await newReport()
    await patchReport(
      id,
      { status: 'triaged', note: 'Looking at the source' },
      { token: editor.token },
    )
    await patchReport(id, { assignee: 'Mia Park' })
    await patchReport(id, { note: 'Asked the reporter' }, { token: editor.token })
    await patchReport(id, { assignee: null }, { token: editor.token })
    const { body } = await detailOf(id)
    expect(body.events).toEqual([
      {
        at: expect.any(String),
        actor: 'Mia Park',
        action: 'status',
        from: 'new',
        to: 'triaged',
        note: 'Looking at the source',
      },
      {
        at: expect.any(String),
        actor: 'admin',
        action: 'assign',
        from: null,
        to: 'Mia Park',
        note: null,
      },
      {
        at: expect.any(String),
        actor: 'Mia Park',
        action: 'note',
        from: null,
        to: null,
        note: 'Asked the reporter',
      },
      {
        at: expect.any(String),
        actor: 'Mia Park',
        action: 'assign',
        from: 'Mia Park',
        to: null,
        note: null,
      },
    ])
    expect(body.assignee).toBeNull()
  })

  it('changes nothing when the status is the one the report has', async () => {
    const id = await newReport()
    const before = await detailOf(id)
    const response = await patchReport(id, { status: 'new' })
    expect(response.status).toBe(200)
    expect(response.headers.get('etag')).toBe(before.etag)
    expect((await detailOf(id)).body).toEqual(before.body)
  })

  it('answers 412 to a stale If-Match and applies a current one', async () => {
    const id = await newReport()
    const { etag } = await detailOf(id)
    expect(etag).toMatch(/^"[\w-]+"$/)
    const first = await patchReport(id, { status: 'triaged' }, { ifMatch: etag })
    expect(first.status).toBe(200)
    const fresh = first.headers.get('etag')!
    expect(fresh).not.toBe(etag)
    await expectProblem(
      await patchReport(id, { status: 'accepted' }, { ifMatch: etag }),
      412,
      'precondition_failed',
    )
    expect((await detailOf(id)).body.status).toBe('triaged')
    expect((await patchReport(id, { status: 'accepted' }, { ifMatch: fresh })).status).toBe(200)
    expect((await patchReport(id, { note: 'any' }, { ifMatch: '*' })).status).toBe(200)
  })

  it('makes an editor stale when a reader joins the report meanwhile', async () => {
    const url = `${SITE}/2026/11/stale`
    const id = await newReport({ url, quote: 'stale words' })
    const { etag } = await detailOf(id)
    await call('/v1/reports', { json: { url, quote: 'Stale words.' } })
    await expectProblem(
      await patchReport(id, { status: 'triaged' }, { ifMatch: etag }),
      412,
      'precondition_failed',
    )
  })

  it('answers 304 to a GET whose If-None-Match is current', async () => {
    const id = await newReport()
    const { etag } = await detailOf(id)
    const response = await asEditor(`/v1/admin/reports/${id}`, {
      headers: { 'if-none-match': etag },
    })
    expect(response.status).toBe(304)
  })

  it('applies concurrent changes one after the other, losing none', async () => {
    const id = await newReport()
    const notes = Array.from({ length: 6 }, (_, i) => `note ${i}`)
    const answers = await Promise.all(notes.map((note) => patchReport(id, { note })))
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200))
    const { body } = await detailOf(id)
    expect(body.events.map((event) => event.note).sort()).toEqual(notes)
  })

  it('never answers 412 without If-Match, however many editors act at once', async () => {
    const id = await newReport()
    const notes = Array.from({ length: 30 }, (_, i) => `busy note ${i}`)
    const answers = await Promise.all([
      ...notes.map((note) => patchReport(id, { note })),
      patchReport(id, { status: 'triaged' }),
      patchReport(id, { assignee: 'Ana' }),
    ])
    expect(answers.map((answer) => answer.status)).toEqual(Array(32).fill(200))
    const { body } = await detailOf(id)
    expect(body).toMatchObject({ status: 'triaged', assignee: 'Ana' })
    const recorded = body.events.map((event) => event.note).filter(Boolean)
    expect(recorded.sort()).toEqual([...notes].sort())
  })

  it('cleans a note of control characters and bidirectional overrides', async () => {
    const id = await newReport()
    await patchReport(id, { note: 'Checked \u202ethe PDF\u0007', assignee: '\u202eAna\u0000' })
    const { body } = await detailOf(id)
    expect(body.assignee).toBe('Ana')
    expect(body.events.at(-1)?.note ?? body.events.find((event) => event.note)?.note).toBe(
      'Checked the PDF',
    )
  })

  it('allows no chains: an original is never a duplicate, a duplicate never an original', async () => {
    const original = await newReport()
    const copy = await newReport()
    const third = await newReport()
    expect((await patchReport(copy, { status: 'duplicate', duplicate_of: original })).status).toBe(
      200,
    )
    await expectProblem(
      await patchReport(third, { status: 'duplicate', duplicate_of: copy }),
      409,
      'conflict',
    )
    await expectProblem(
      await patchReport(original, { status: 'duplicate', duplicate_of: third }),
      409,
      'conflict',
    )
    expect((await detailOf(original)).body.status).toBe('new')
    expect((await detailOf(third)).body.status).toBe('new')
  })

  it('lets only one of two reports marked duplicates of each other at once win', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await newReport()
      const b = await newReport()
      const answers = await Promise.all([
        patchReport(a, { status: 'duplicate', duplicate_of: b }),
        patchReport(b, { status: 'duplicate', duplicate_of: a }),
      ])
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409])
      const statuses = [(await detailOf(a)).body.status, (await detailOf(b)).body.status]
      expect(statuses.filter((status) => status === 'duplicate')).toHaveLength(1)
    }
  })

  it('marks a duplicate of another existing report, and clears it on reopening', async () => {
    const original = await newReport()
    const copy = await newReport()
    const response = await patchReport(copy, { status: 'duplicate', duplicate_of: original })
    expect(response.status).toBe(200)
    expect(((await response.json()) as Detail).duplicate_of).toBe(original)
    const reopened = (await (await patchReport(copy, { status: 'triaged' })).json()) as Detail
    expect(reopened).toMatchObject({ status: 'triaged', duplicate_of: null })
  })

  it.each([
    ['without duplicate_of', () => ({ status: 'duplicate' })],
    ['of an unknown report', () => ({ status: 'duplicate', duplicate_of: 'rep_missing' })],
    [
      'with duplicate_of but another status',
      () => ({ status: 'rejected', duplicate_of: 'rep_missing' }),
    ],
  ])('refuses a duplicate %s with 409', async (_, body) => {
    const id = await newReport()
    await expectProblem(await patchReport(id, body()), 409, 'conflict')
    expect((await detailOf(id)).body.status).toBe('new')
  })

  it('refuses a report as its own duplicate', async () => {
    const id = await newReport()
    await expectProblem(
      await patchReport(id, { status: 'duplicate', duplicate_of: id }),
      409,
      'conflict',
    )
  })

  it('refuses to reopen a report while another is open for the same quote', async () => {
    const url = `${SITE}/2026/11/reopen`
    const old = await newReport({ url, quote: 'reopen me' })
    await moveTo(old, 'rejected')
    const current = await newReport({ url, quote: 'Reopen me' })
    expect(current).not.toBe(old)
    await expectProblem(await patchReport(old, { status: 'triaged' }), 409, 'conflict')
    expect((await detailOf(old)).body.status).toBe('rejected')
  })

  it('answers 404 for an unknown report', async () => {
    await expectProblem(await patchReport('rep_nope', { status: 'triaged' }), 404, 'not_found')
  })

  it.each([
    ['an unknown status', { status: 'closed' }],
    ['a status of the wrong type', { status: 3 }],
    ['an over-long assignee', { assignee: 'a'.repeat(101) }],
    ['an empty assignee', { assignee: '  ' }],
    ['an over-long note', { note: 'n'.repeat(2001) }],
    ['an unknown field', { stauts: 'triaged' }],
    ['an array', [{ status: 'triaged' }]],
  ])('answers 400 to %s and changes nothing', async (_, body) => {
    const id = await newReport()
    const before = await detailOf(id)
    await expectProblem(await patchReport(id, body), 400, 'validation_failed')
    expect((await detailOf(id)).body).toEqual(before.body)
  })

  it('answers 400 to malformed JSON, 415 to text, 413 to a huge body, 401 without a token', async () => {
    const id = await newReport()
    const path = `/v1/admin/reports/${id}`
    await expectProblem(
      await asEditor(path, {
        method: 'PATCH',
        body: '{"status"',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'validation_failed',
    )
    await expectProblem(
      await asEditor(path, {
        method: 'PATCH',
        body: '{}',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    )
    await expectProblem(
      await asEditor(path, { method: 'PATCH', json: { note: 'x'.repeat(70000) } }),
      413,
      'payload_too_large',
    )
    await expectProblem(
      await call(path, { method: 'PATCH', json: { status: 'triaged' } }),
      401,
      'unauthorized',
    )
    expect((await detailOf(id)).body.status).toBe('new')
  })

  it('keeps events append-only in the database itself', async () => {
    const id = await newReport()
    await patchReport(id, { note: 'kept forever' })
    await expect(
      env.DB.prepare('UPDATE report_events SET note = ?').bind('rewritten').run(),
    ).rejects.toThrow(/append-only/)
    await expect(env.DB.prepare('DELETE FROM report_events').run()).rejects.toThrow(/append-only/)
  })

  it('returns hostile report text as inert JSON', async () => {
    const id = await newReport({
      quote: '<script>alert(1)</script>',
      comment: '"><img src=x onerror=alert(1)>',
    })
    const response = await asEditor(`/v1/admin/reports/${id}`)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const body = (await response.json()) as { quote: string }
    expect(body.quote).toBe('<script>alert(1)</script>')
  })
})
