import { beforeAll, describe, expect, it } from 'vitest'
import { listReportsPlan } from '../../src/triage/list-store'
import { ReportListQuerySchema } from '../../src/triage/schemas'
import { asEditor, moveTo, newReport, patchReport } from '../helpers/editors'
import { call, env, expectProblem, SITE } from '../helpers/http'

interface Item {
  id: string
  status: string
  kind: string
  submissions: number
  first_reported_at: string
  assignee: string | null
}

async function list(query: string): Promise<{ items: Item[]; next_cursor: string | null }> {
  const response = await asEditor(`/v1/admin/reports?${query}`)
  expect(response.status).toBe(200)
  return response.json()
}

async function all(query: string, limit = 2): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const page = await list(
      `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    ids.push(...page.items.map((item) => item.id))
    cursor = page.next_cursor
  } while (cursor)
  return ids
}

const ARTICLE = `${SITE}/2026/11/filters`

const ids: Record<string, string> = {}

beforeAll(async () => {
  ids.typo = await newReport({ url: ARTICLE, quote: 'the mayorr said', kind: 'typo' })
  ids.factual = await newReport({
    url: `${SITE}/other`,
    quote: 'budget of 12 million',
    kind: 'factual',
    comment: 'The PDF says 21 million',
  })
  ids.popular = await newReport({
    url: `${SITE}/popular`,
    quote: 'popular quote',
    kind: 'clarification',
  })
  for (let i = 0; i < 3; i++)
    await call('/v1/reports', {
      json: { url: `${SITE}/popular`, quote: 'Popular quote!', comment: `reader ${i}` },
    })
  ids.assigned = await newReport({
    url: ARTICLE,
    quote: 'assigned quote',
    kind: 'translation',
    suggestion: 'Übersetzung korrigieren',
  })
  await patchReport(ids.assigned, { status: 'triaged', assignee: 'Ana Ruiz' })
  ids.rejected = await newReport({ url: `${SITE}/x`, quote: 'rejected quote', kind: 'other' })
  await moveTo(ids.rejected, 'rejected')
  ids.spam = await newReport({ url: ARTICLE, quote: 'spam quote', website: 'bot' })
})

describe('GET /v1/admin/reports filters', () => {
  it('filters by kind', async () => {
    expect(await all('kind=factual')).toEqual([ids.factual])
  })

  it('filters by article URL, normalised like a report’s', async () => {
    const url = encodeURIComponent(
      `${ARTICLE.replace('https://news.example', 'HTTPS://News.Example:443')}?utm_source=x#frag`,
    )
    expect((await all(`url=${url}`)).sort()).toEqual([ids.typo, ids.assigned].sort())
  })

  it('searches quotes, suggestions and comments, by word prefix, ignoring accents and case', async () => {
    expect(await all('q=MAYOR')).toEqual([ids.typo])
    expect(await all('q=21%20milli')).toEqual([ids.factual])
    expect(await all('q=ubersetz')).toEqual([ids.assigned])
    expect(await all('q=reader%202')).toEqual([ids.popular])
    expect(await all('q=%22%29%28*%20OR%20NEAR')).toEqual([])
  })

  it('filters by assignee', async () => {
    expect(await all('assignee=Ana%20Ruiz')).toEqual([ids.assigned])
    expect(await all('assignee=Nobody')).toEqual([])
  })

  it('filters by a status list, and includes spam only when asked', async () => {
    expect(await all('status=rejected')).toEqual([ids.rejected])
    expect((await all('status=new,triaged')).sort()).toEqual(
      [ids.typo, ids.factual, ids.popular, ids.assigned].sort(),
    )
    expect(await all('')).not.toContain(ids.spam)
    expect(await all('status=spam')).toEqual([ids.spam])
  })

  it('combines filters', async () => {
    expect(
      await all(`url=${encodeURIComponent(ARTICLE)}&status=triaged&kind=translation&q=assigned`),
    ).toEqual([ids.assigned])
    expect(await all(`url=${encodeURIComponent(ARTICLE)}&kind=factual`)).toEqual([])
  })
})

describe('GET /v1/admin/reports sorts and paging', () => {
  it('sorts newest, oldest and most reported', async () => {
    const newest = await all('sort=newest')
    expect(await all('sort=oldest')).toEqual([...newest].reverse())
    const popular = await all('sort=most_reported', 1)
    expect(popular[0]).toBe(ids.popular)
    const items = (await list('sort=most_reported&limit=100')).items
    const counts = items.map((item) => item.submissions)
    expect(counts).toEqual([...counts].sort((a, b) => b - a))
  })

  it.each(['newest', 'oldest', 'most_reported'])(
    'visits each report exactly once while new ones arrive (%s)',
    async (sort) => {
      const before = await all(`sort=${sort}`, 100)
      const first = await list(`sort=${sort}&limit=2`)
      const arrived = [await newReport(), await newReport()]
      const seen = first.items.map((item) => item.id)
      let cursor = first.next_cursor
      while (cursor) {
        const page = await list(`sort=${sort}&limit=2&cursor=${encodeURIComponent(cursor)}`)
        seen.push(...page.items.map((item) => item.id))
        cursor = page.next_cursor
      }
      expect(new Set(seen).size).toBe(seen.length)
      for (const id of before) expect(seen).toContain(id)
      expect(seen.length).toBeLessThanOrEqual(before.length + arrived.length)
    },
  )

  it('refuses a cursor issued for another sort', async () => {
    const page = await list('sort=newest&limit=1')
    await expectProblem(
      await asEditor(`/v1/admin/reports?sort=oldest&cursor=${page.next_cursor}`),
      400,
      'validation_failed',
    )
    await expectProblem(
      await asEditor(`/v1/admin/reports?sort=most_reported&cursor=${page.next_cursor}`),
      400,
      'validation_failed',
    )
  })

  it.each([
    'sort=random',
    'kind=rant',
    'url=not-a-url',
    `q=${'x'.repeat(201)}`,
    `assignee=${'x'.repeat(101)}`,
    'q=',
  ])('answers 400 to %s', async (query) => {
    await expectProblem(await asEditor(`/v1/admin/reports?${query}`), 400, 'validation_failed')
  })
})

describe('query plans', () => {
  const plans: [string, Record<string, string>][] = [
    ['the default list', {}],
    ['a deep page', { cursor: 'x' }],
    ['one status', { status: 'new' }],
    ['several statuses', { status: 'new,triaged,accepted' }],
    ['a kind', { kind: 'typo' }],
    ['a kind and statuses', { kind: 'typo', status: 'new,triaged' }],
    ['an article', { url: ARTICLE }],
    ['an assignee', { assignee: 'Ana' }],
    ['most reported', { sort: 'most_reported' }],
    ['oldest first', { sort: 'oldest' }],
    ['most reported in a status', { sort: 'most_reported', status: 'new' }],
    ['an article, oldest first', { url: ARTICLE, sort: 'oldest' }],
  ]

  it.each(plans)(
    'reads %s through an index, with no full scan and no sort of the table',
    async (_, params) => {
      const query = ReportListQuerySchema.parse({ ...params, cursor: undefined })
      const after = params.cursor
        ? query.sort === 'most_reported'
          ? [3, 'rep_x']
          : ['2026-01-01T00:00:00.000Z', 'rep_x']
        : null
      const plan = listReportsPlan(query, after)
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`)
        .bind(...plan.binds)
        .all<{ detail: string }>()
      const details = results.map((row) => row.detail)
      expect(details.some((detail) => /USING (COVERING )?INDEX reports_/.test(detail))).toBe(true)
      expect(details.filter((detail) => /^SCAN reports\b/.test(detail))).toEqual([])
      // A temp B-tree may only order the few rows the index ranges return, never the table.
      const sorts = details.filter((detail) => /TEMP B-TREE/.test(detail))
      if (!params.url && !params.assignee)
        expect(sorts.every((detail) => /ORDER BY|UNION/.test(detail))).toBe(true)
    },
  )

  it('searches through the full-text index', async () => {
    const plan = listReportsPlan(ReportListQuerySchema.parse({ q: 'mayor' }), null)
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`)
      .bind(...plan.binds)
      .all<{ detail: string }>()
    const details = results.map((row) => row.detail).join('\n')
    expect(details).toMatch(/VIRTUAL TABLE INDEX/)
    expect(details).not.toMatch(/^SCAN reports\b/m)
  })
})
