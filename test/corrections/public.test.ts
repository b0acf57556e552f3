import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { asEditor, newReport } from '../helpers/editors'
import { call, expectProblem, SITE } from '../helpers/http'

async function published(
  url: string,
  text: string,
  kind = 'correction',
  titles: { reader?: string; editor?: string } = {},
) {
  const id = await newReport({ url, ...(titles.reader ? { title: titles.reader } : {}) })
  const response = await asEditor(`/v1/admin/reports/${id}/correction`, {
    json: { kind, text, ...(titles.editor ? { article_title: titles.editor } : {}) },
  })
  expect(response.status).toBe(201)
  return (await response.json()) as {
    id: string
    published_at: string
    title: string | null
    article_title: string | null
  }
}

async function feedEntries(host = 'https://api.news.example') {
  const xml = await (await call(`${host}/v1/corrections/feed.atom`)).text()
  const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml).feed
  return {
    id: feed.id as string,
    entries: (Array.isArray(feed.entry) ? feed.entry : [feed.entry]) as {
      id: string
      title: { '#text': string }
      link: { '@href': string }
    }[],
  }
}

describe('GET /v1/corrections?url=', () => {
  it('lists an article’s corrections newest first, cacheable and open to any origin', async () => {
    const url = `${SITE}/2026/11/public-list`
    const first = await published(url, 'First fix.')
    const second = await published(url, 'Second fix.', 'update')
    await published(`${SITE}/2026/11/elsewhere`, 'Other article.')
    const response = await call(
      `/v1/corrections?url=${encodeURIComponent(`${url}?utm_medium=social#x`)}`,
      {
        headers: { origin: 'https://any-site.example' },
      },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+/)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const body = (await response.json()) as { items: { id: string; kind: string; text: string }[] }
    expect(body.items.map((item) => item.id)).toEqual([second.id, first.id])
    expect(body.items[0]).toEqual({
      id: second.id,
      url,
      kind: 'update',
      text: 'Second fix.',
      published_at: second.published_at,
    })
  })

  it('answers an empty list for an article without corrections', async () => {
    const response = await call(`/v1/corrections?url=${encodeURIComponent(`${SITE}/quiet`)}`)
    expect(await response.json()).toEqual({ items: [] })
  })

  it.each(['', '?url=', '?url=not-a-url', `?url=${encodeURIComponent('javascript:alert(1)')}`])(
    'answers 400 to %s',
    async (query) => {
      const response = await call(`/v1/corrections${query}`)
      await expectProblem(response, 400, 'validation_failed')
      expect(response.headers.get('cache-control')).toBe('no-store')
    },
  )
})

describe('GET /v1/corrections/feed.atom', () => {
  it('is valid Atom with ids, dates and links to the articles, and keeps hostile text inert', async () => {
    const hostile = `<script>alert("x")</script> & ]]> \u0001 'quoted'`
    const url = `${SITE}/2026/11/feed?id=1&page=2`
    const correction = await published(url, hostile, 'clarification', {
      editor: 'Budget <b>bold</b> & more',
    })
    await published(`${SITE}/2026/11/feed-2`, 'Plain fix.')
    const response = await call('/v1/corrections/feed.atom')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8')
    expect(response.headers.get('cache-control')).toMatch(/^public/)
    const xml = await response.text()
    expect(XMLValidator.validate(xml)).toBe(true)
    expect(xml).not.toContain('<script>')
    expect(xml).not.toContain('<b>')
    const feed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(
      xml,
    ).feed
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom')
    expect(feed.id).toBe('tag:news.example,2026:corrections')
    expect(feed.link['@rel']).toBe('self')
    expect(feed.author.name).toBeTruthy()
    const entries = Array.isArray(feed.entry) ? feed.entry : [feed.entry]
    expect(entries.length).toBe(5)
    const entry = entries.find((item: { content: { '#text': string } }) =>
      item.content['#text'].includes('alert'),
    )
    expect(entry.id).toMatch(
      new RegExp(`^tag:news\\.example,\\d{4}-\\d{2}-\\d{2}:corrections/${correction.id}$`),
    )
    expect(entry.link['@href']).toBe(url)
    expect(entry.content['#text']).toBe(`<script>alert("x")</script> & ]]>  'quoted'`)
    expect(entry.title['#text']).toBe('Clarification: Budget <b>bold</b> & more')
    expect(entry.updated).toBe(correction.published_at)
    expect(new Date(feed.updated).getTime()).toBeGreaterThanOrEqual(
      new Date(correction.published_at).getTime(),
    )
  })

  it('never publishes the title a reader typed: the editor’s article title, else the URL', async () => {
    const forged = 'OFFICIAL RETRACTION \u202eenoyreve ot ygolopa'
    const url = `${SITE}/2026/11/forged-title`
    const plain = await published(url, 'Dates fixed.', 'correction', { reader: forged })
    expect(plain.title).toBe('OFFICIAL RETRACTION enoyreve ot ygolopa')
    expect(plain.article_title).toBeNull()
    const titled = await published(`${SITE}/2026/11/titled`, 'Name fixed.', 'correction', {
      reader: forged,
      editor: 'Council \u202ebudget\u0007 vote',
    })
    expect(titled.article_title).toBe('Council budget vote')
    const { entries } = await feedEntries()
    const titles = entries.map((entry) => entry.title['#text'])
    expect(titles).toContain(`Correction: ${url}`)
    expect(titles).toContain('Correction: Council budget vote')
    expect(titles.join('\n')).not.toMatch(/RETRACTION|enoyreve/)
  })

  it('keeps the same feed and entry ids whatever host it is fetched from', async () => {
    await published(`${SITE}/2026/11/ids`, 'Spelling fixed.')
    const atApi = await feedEntries('https://api.news.example')
    const atWorkersDev = await feedEntries('https://readerdesk.newsroom.workers.dev')
    expect(atWorkersDev.id).toBe(atApi.id)
    expect(atWorkersDev.entries.map((entry) => entry.id)).toEqual(
      atApi.entries.map((entry) => entry.id),
    )
    expect(atApi.id).not.toMatch(/api\.news\.example|workers\.dev/)
  })

  it('holds at most the latest 50', async () => {
    for (let i = 0; i < 52; i++) await published(`${SITE}/2026/11/many-${i}`, `Fix ${i}.`)
    const xml = await (await call('/v1/corrections/feed.atom')).text()
    const entries = new XMLParser().parse(xml).feed.entry as { content: string }[]
    expect(entries).toHaveLength(50)
    expect(entries[0]!.content).toBe('Fix 51.')
  })
})
