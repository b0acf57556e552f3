import { describe, expect, it } from 'vitest'
import { DOCS_CSS } from '../../src/ops/docs'
import { call } from '../helpers/http'

interface OpenApi {
  openapi: string
  info: { title: string }
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, unknown>; requestBody?: unknown; security?: unknown[] }
    >
  >
  components: {
    schemas: Record<
      string,
      { properties?: Record<string, { maxLength?: number }>; required?: string[] }
    >
    securitySchemes: Record<string, unknown>
  }
}

async function openapi(): Promise<OpenApi> {
  const response = await call('/openapi.json')
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  return response.json()
}

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 generated from the routes', async () => {
    const document = await openapi()
    expect(document.openapi).toBe('3.1.0')
    expect(document.info.title).toBe('readerdesk')
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/v1/reports',
        '/v1/submissions/{id}',
        '/v1/admin/reports',
        '/v1/admin/reports/{id}',
      ]),
    )
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    })
  })

  it('documents the report body with its rules and every error answer', async () => {
    const document = await openapi()
    const post = document.paths['/v1/reports']!.post!
    expect(Object.keys(post.responses)).toEqual(
      expect.arrayContaining(['201', '400', '403', '409', '413', '415', '422', '429']),
    )
    const input = document.components.schemas.ReportInput!
    expect(input.required).toContain('url')
    expect(input.properties?.quote?.maxLength).toBe(1000)
    expect(input.properties?.context_before?.maxLength).toBe(300)
    expect(input.properties?.comment?.maxLength).toBe(2000)
    expect(document.components.schemas.Problem).toBeTruthy()
  })

  it('marks the editors’ routes as needing a bearer token', async () => {
    const document = await openapi()
    expect(document.paths['/v1/admin/reports']!.get!.security).toEqual([{ bearer: [] }])
  })
})

describe('GET /docs', () => {
  it('is an HTML reference of every documented route, under a strict CSP', async () => {
    const response = await call('/docs')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = response.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    const html = await response.text()
    for (const path of ['/v1/reports', '/v1/submissions/{id}', '/v1/admin/reports', '/health'])
      expect(html).toContain(path)
    expect(html).toContain('id="problem-validation_failed"')
    expect(html).not.toContain('<script')
  })

  it('gives every method badge a contrast of at least 4.5:1 (WCAG AA)', () => {
    const luminance = (hex: string) => {
      const [r = 0, g = 0, b = 0] = [1, 3, 5]
        .map((at) => parseInt(hex.slice(at, at + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }
    const text = /\.method\{[^}]*;color:(#[0-9a-f]{3,6})/
      .exec(DOCS_CSS)?.[1]
      ?.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3')
    expect(text).toBeDefined()
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const background = new RegExp(`\\.${method}\\{background:(#[0-9a-f]{6})\\}`).exec(
        DOCS_CSS,
      )?.[1]
      expect(background, method).toBeDefined()
      const [light, dark] = [luminance(text!), luminance(background!)].sort((a, b) => b - a)
      expect((light! + 0.05) / (dark! + 0.05), method).toBeGreaterThanOrEqual(4.5)
    }
  })

  it('serves its stylesheet', async () => {
    const response = await call('/docs.css')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/css/)
  })
})

describe('the webhook events in the document', () => {
  it('lists every event readerdesk delivers, its body and signature headers, also on /docs', async () => {
    const response = await call('/openapi.json')
    const document = (await response.json()) as {
      webhooks: Record<
        string,
        { post: { parameters: { name: string }[]; requestBody: { content: object } } }
      >
    }
    const events = [
      'report.created',
      'report.updated',
      'correction.published',
      'supporter.started',
      'supporter.canceled',
    ]
    expect(Object.keys(document.webhooks).sort()).toEqual([...events].sort())
    for (const event of events) {
      const { post } = document.webhooks[event] ?? { post: null }
      expect(post?.parameters.map((parameter) => parameter.name)).toEqual([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ])
      expect(Object.keys(post?.requestBody.content ?? {})).toEqual(['application/json'])
    }
    const page = await (await call('/docs')).text()
    expect(page).toContain('id="webhook-events"')
    for (const event of events) expect(page).toContain(`<code>${event}</code>`)
  })
})
