import { describe, expect, it } from 'vitest'
import vocabularyText from '../fixtures/schema-org-excerpt.json?raw'
import { asEditor, newReport } from '../helpers/editors'
import { call, expectProblem, SITE } from '../helpers/http'

async function published(url: string, text: string, kind = 'correction') {
  const id = await newReport({ url })
  const response = await asEditor(`/v1/admin/reports/${id}/correction`, { json: { kind, text } })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; published_at: string }
}

const jsonLdOf = (url: string) => call(`/v1/corrections/jsonld?url=${encodeURIComponent(url)}`)

// ---------------------------------------------------------------------------------------------
// A small validator of JSON-LD against the hand-copied excerpt of schema.org's vocabulary.

interface Term {
  '@id': string
  'rdfs:subClassOf'?: { '@id': string }
  'schema:domainIncludes'?: { '@id': string } | { '@id': string }[]
  'schema:rangeIncludes'?: { '@id': string } | { '@id': string }[]
}

const terms = new Map(
  (JSON.parse(vocabularyText) as { '@graph': Term[] })['@graph'].map((term) => [
    term['@id'].replace(/^schema:/, ''),
    term,
  ]),
)

const ids = (value: { '@id': string } | { '@id': string }[] | undefined) =>
  [value ?? []].flat().map((ref) => ref['@id'].replace(/^schema:/, ''))

/** The class and every class above it. */
function ancestry(type: string): string[] {
  const parent = ids(terms.get(type)?.['rdfs:subClassOf'])[0]
  return parent ? [type, ...ancestry(parent)] : [type]
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/

/** Whether a value is of one of the range's types (a data type, or a node of a class). */
function fitsRange(value: unknown, range: string[], problems: string[], path: string): boolean {
  if (typeof value === 'string') {
    return range.some((type) => {
      if (type === 'Date' || type === 'DateTime') return ISO_DATE_TIME.test(value)
      if (type === 'URL') return /^https?:\/\/[^\s/?#]+[^\s]*$/.test(value)
      return type === 'Text'
    })
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const type = (value as { '@type'?: unknown })['@type']
    if (typeof type !== 'string' || !ancestry(type).some((c) => range.includes(c))) return false
    validateNode(value as Record<string, unknown>, problems, path)
    return true
  }
  return false
}

/** Every property is defined for the node's type and every value is of the property's range. */
function validateNode(node: Record<string, unknown>, problems: string[], path = '$'): void {
  const type = node['@type']
  if (typeof type !== 'string' || !terms.has(type)) {
    problems.push(`${path}: unknown @type ${String(type)}`)
    return
  }
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@')) continue
    const property = terms.get(name)
    if (!property) {
      problems.push(`${path}.${name}: not a schema.org property here`)
      continue
    }
    const domain = ids(property['schema:domainIncludes'])
    if (!ancestry(type).some((c) => domain.includes(c)))
      problems.push(`${path}.${name}: not a property of ${type}`)
    const range = ids(property['schema:rangeIncludes'])
    const values = Array.isArray(value) ? value : [value]
    values.forEach((item, i) => {
      const at = Array.isArray(value) ? `${path}.${name}[${i}]` : `${path}.${name}`
      if (!fitsRange(item, range, problems, at)) problems.push(`${at}: not a ${range.join('|')}`)
    })
  }
}

function schemaOrgProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = []
  if (document['@context'] !== 'https://schema.org') problems.push('$: not schema.org’s context')
  validateNode(document, problems)
  return problems
}

// ---------------------------------------------------------------------------------------------

describe('GET /v1/corrections/jsonld?url=', () => {
  it('gives an article’s corrections newest first as schema.org JSON-LD, cacheable and open to any origin', async () => {
    const url = `${SITE}/2026/11/jsonld-list`
    const first = await published(url, 'First fix.')
    const second = await published(url, 'Second fix.', 'clarification')
    await published(`${SITE}/2026/11/jsonld-elsewhere`, 'Other article.')
    const response = await call(`/v1/corrections/jsonld?url=${encodeURIComponent(url)}`, {
      headers: { origin: 'https://any-site.example' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/ld+json; charset=utf-8')
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const document = (await response.json()) as Record<string, unknown>
    expect(document).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      url,
      correction: [
        { '@type': 'CorrectionComment', text: 'Second fix.', datePublished: second.published_at },
        { '@type': 'CorrectionComment', text: 'First fix.', datePublished: first.published_at },
      ],
    })
    expect(schemaOrgProblems(document)).toEqual([])
  })

  it('holds the same corrections as GET /v1/corrections for every form of the article’s URL', async () => {
    const url = `${SITE}/2026/11/jsonld-forms?page=2`
    await published(url, 'Spelling fixed.')
    const forms = [
      url,
      `${url}&utm_source=newsletter#comments`,
      `  HTTPS://NEWS.example:443/2026/11/jsonld-forms?utm_medium=social&page=2  `,
    ]
    for (const form of forms) {
      const document = (await (await jsonLdOf(form)).json()) as {
        url: string
        correction: { text: string; datePublished: string }[]
      }
      const list = (await (
        await call(`/v1/corrections?url=${encodeURIComponent(form)}`)
      ).json()) as { items: { url: string; text: string; published_at: string }[] }
      expect(document.url, form).toBe(url)
      expect(document.correction.map((c) => [c.text, c.datePublished])).toEqual(
        list.items.map((item) => [item.text, item.published_at]),
      )
      expect(document.correction).toHaveLength(1)
    }
  })

  it('answers an article without corrections with an empty list a page can include as it is', async () => {
    const response = await jsonLdOf(`${SITE}/2026/11/jsonld-quiet#top`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as Record<string, unknown>
    expect(document).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      url: `${SITE}/2026/11/jsonld-quiet`,
      correction: [],
    })
    expect(schemaOrgProblems(document)).toEqual([])
  })

  it('writes <, > and & escaped, so the answer cannot close the script element it is put in', async () => {
    const url = `${SITE}/2026/11/jsonld-hostile?a=1&b=2`
    const hostile = `</script><script>alert("x")</script> & <!-- more`
    await published(url, hostile)
    const body = await (await jsonLdOf(url)).text()
    expect(body).not.toMatch(/[<>&]/)
    expect(body).toContain('\\u003c/script\\u003e')
    const document = JSON.parse(body) as { url: string; correction: { text: string }[] }
    expect(document.url).toBe(url)
    expect(document.correction[0]!.text).toBe(hostile)
  })

  it.each(['', '?url=', '?url=not-a-url', `?url=${encodeURIComponent('javascript:alert(1)')}`])(
    'answers 400 to %s, uncached',
    async (query) => {
      const response = await call(`/v1/corrections/jsonld${query}`)
      await expectProblem(response, 400, 'validation_failed')
      expect(response.headers.get('cache-control')).toBe('no-store')
    },
  )
})

describe('the schema.org check itself', () => {
  it('refuses a property of another type, a value out of range and an unknown type', () => {
    expect(
      schemaOrgProblems({
        '@context': 'https://schema.org',
        '@type': 'NewsArticle',
        url: 'not a url',
        correction: [
          { '@type': 'CorrectionComment', text: 'x', datePublished: 'yesterday' },
          { '@type': 'Review', text: 'x' },
        ],
      }),
    ).toEqual([
      '$.url: not a URL',
      '$.correction[0].datePublished: not a Date|DateTime',
      '$.correction[1]: not a CorrectionComment|Text|URL',
    ])
  })
})
