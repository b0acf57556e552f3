import type { OpenAPIHono } from '@hono/zod-openapi'
import { escapeHtml } from '../http/html'
import { PROBLEM_CODES } from '../http/problem'

type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** Inline `code` spans of the descriptions, the only markup they use. */
const prose = (text: string | undefined) =>
  escapeHtml(text ?? '').replace(/`([^`]+)`/g, '<code>$1</code>')

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function resolve(document: JsonObject, schema: Json | undefined): JsonObject {
  if (!isObject(schema)) return {}
  const ref = schema.$ref
  if (typeof ref !== 'string') return schema
  const name = ref.split('/').pop() ?? ''
  const schemas = (document.components as JsonObject | undefined)?.schemas
  return isObject(schemas) && isObject(schemas[name]) ? schemas[name] : {}
}

function typeOf(document: JsonObject, schema: Json | undefined): string {
  if (!isObject(schema)) return 'any'
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? 'object'
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value)).join(' | ')
  for (const union of ['anyOf', 'oneOf'] as const) {
    const options = schema[union]
    if (Array.isArray(options)) return options.map((option) => typeOf(document, option)).join(' | ')
  }
  if (schema.type === 'array') return `${typeOf(document, schema.items)}[]`
  const type = Array.isArray(schema.type)
    ? schema.type.join(' | ')
    : String(schema.type ?? 'object')
  const format = typeof schema.format === 'string' ? ` (${schema.format})` : ''
  return type + format
}

function constraints(schema: JsonObject): string {
  const parts: string[] = []
  if (typeof schema.maxLength === 'number') parts.push(`≤ ${schema.maxLength} characters`)
  if (typeof schema.minimum === 'number') parts.push(`≥ ${schema.minimum}`)
  if (typeof schema.maximum === 'number') parts.push(`≤ ${schema.maximum}`)
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`)
  return parts.join(', ')
}

function fieldsTable(document: JsonObject, schemaRef: Json | undefined): string {
  const schema = resolve(document, schemaRef)
  const properties = schema.properties
  if (!isObject(properties)) return `<p class="type">${escapeHtml(typeOf(document, schemaRef))}</p>`
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const rows = Object.entries(properties).map(([name, raw]) => {
    const field = isObject(raw) ? raw : {}
    return `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td>
      <td>${escapeHtml(typeOf(document, raw))}</td><td>${escapeHtml(constraints(field))}</td>
      <td>${prose(typeof field.description === 'string' ? field.description : '')}</td></tr>`
  })
  return `<table><thead><tr><th>field</th><th>type</th><th>rule</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function operationHtml(document: JsonObject, method: string, path: string, op: JsonObject): string {
  const anchor = `${method}-${path.replace(/[^\w]+/g, '-')}`
  const params = Array.isArray(op.parameters) ? op.parameters.filter(isObject) : []
  const paramRows = params.map((param) => {
    const schema = isObject(param.schema) ? param.schema : {}
    return `<tr><td><code>${escapeHtml(String(param.name))}</code></td><td>${escapeHtml(String(param.in))}</td>
      <td>${escapeHtml(typeOf(document, param.schema))}</td><td>${escapeHtml(constraints(schema))}</td>
      <td>${prose(typeof param.description === 'string' ? param.description : typeof schema.description === 'string' ? schema.description : '')}</td></tr>`
  })
  const body =
    isObject(op.requestBody) && isObject(op.requestBody.content)
      ? op.requestBody.content['application/json']
      : undefined
  const responses = isObject(op.responses) ? Object.entries(op.responses) : []
  const responseRows = responses.map(([status, raw]) => {
    const response = isObject(raw) ? raw : {}
    const content = isObject(response.content) ? Object.entries(response.content)[0] : undefined
    const schema = content && isObject(content[1]) ? typeOf(document, content[1].schema) : ''
    return `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(schema)}</td><td>${prose(String(response.description ?? ''))}</td></tr>`
  })
  const secured = Array.isArray(op.security) && op.security.length > 0
  return `<section class="op" id="${escapeHtml(anchor)}">
    <h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${secured ? ' <span class="lock">bearer token</span>' : ''}</h3>
    <p><strong>${prose(String(op.summary ?? ''))}</strong></p>
    <p>${prose(typeof op.description === 'string' ? op.description : '')}</p>
    ${paramRows.length ? `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>rule</th><th>meaning</th></tr></thead><tbody>${paramRows.join('')}</tbody></table>` : ''}
    ${isObject(body) ? `<h4>Body (application/json)</h4>${fieldsTable(document, body.schema)}` : ''}
    <h4>Responses</h4><table><thead><tr><th>status</th><th>body</th><th>meaning</th></tr></thead><tbody>${responseRows.join('')}</tbody></table>
  </section>`
}

/** A self-contained reference page for the OpenAPI document: no script, no external assets. */
export function renderDocs(openapi: OpenApiDocument): string {
  const document = JSON.parse(JSON.stringify(openapi)) as JsonObject
  const info = isObject(document.info) ? document.info : {}
  const paths = isObject(document.paths) ? document.paths : {}
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = isObject(item) ? item[method] : undefined
      return isObject(op)
        ? [{ path, method, op, tag: Array.isArray(op.tags) ? String(op.tags[0]) : 'Other' }]
        : []
    }),
  )
  // The document's tag order first, then any tag it does not declare.
  const declared = Array.isArray(document.tags)
    ? document.tags.filter(isObject).map((tag) => String(tag.name))
    : []
  const tags = [...new Set([...declared, ...operations.map((operation) => operation.tag)])].filter(
    (tag) => operations.some((operation) => operation.tag === tag),
  )
  const sections = tags.map(
    (tag) =>
      `<h2>${escapeHtml(tag)}</h2>${operations
        .filter((operation) => operation.tag === tag)
        .map((operation) => operationHtml(document, operation.method, operation.path, operation.op))
        .join('')}`,
  )
  // What the API sends to the newsroom's endpoints: one POST per event, named by its type.
  const webhooks = Object.entries(isObject(document.webhooks) ? document.webhooks : {}).flatMap(
    ([name, item]) =>
      isObject(item) && isObject(item.post)
        ? [operationHtml(document, 'post', name, item.post)]
        : [],
  )
  const delivered = webhooks.length
    ? `<h2 id="webhook-events">Webhook events</h2><p>What readerdesk POSTs to the endpoints admins register, one event per delivery.</p>${webhooks.join('')}`
    : ''
  const problems = Object.entries(PROBLEM_CODES).map(
    ([code, { status, title }]) =>
      `<tr id="problem-${code}"><td><code>${code}</code></td><td>${status}</td><td>${escapeHtml(title)}</td></tr>`,
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(String(info.title ?? 'API'))} API reference</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/docs.css"></head>
<body><main>
<h1>${escapeHtml(String(info.title ?? 'API'))} <small>${escapeHtml(String(info.version ?? ''))}</small></h1>
<p>${prose(String(info.description ?? ''))}</p>
<p>The machine-readable document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${sections.join('\n')}
${delivered}
<h2 id="errors">Errors</h2>
<p>Every error is <code>application/problem+json</code>: <code>{ type, title, status, detail, code, errors? }</code>.
Switch on <code>code</code>; <code>errors</code> lists field problems as <code>{ path, message }</code>.</p>
<table><thead><tr><th>code</th><th>usual status</th><th>meaning</th></tr></thead><tbody>${problems.join('')}</tbody></table>
</main></body></html>`
}

export const DOCS_CSS = `
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fafafa}
main{max-width:960px;margin:0 auto;padding:24px}
h1 small{font-size:.5em;color:#666}
h2{margin-top:2.5em;border-bottom:2px solid #ddd;padding-bottom:.2em}
.op{background:#fff;border:1px solid #e2e2e2;border-radius:8px;padding:8px 16px;margin:16px 0}
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;font-size:.8em;padding:2px 6px}
.get{background:#2f6fb0}.post{background:#2e8540}.patch{background:#9a5c00}.delete{background:#b3261e}.put{background:#6b4fbb}
.lock{font-size:.75em;color:#8a5a00;border:1px solid #e0c07a;border-radius:4px;padding:1px 6px}
.req{font-size:.75em;color:#b3261e}
table{border-collapse:collapse;width:100%;margin:8px 0;font-size:.9em}
th,td{text-align:left;border-bottom:1px solid #eee;padding:4px 8px;vertical-align:top}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;background:#f1f1f1;padding:0 3px;border-radius:3px}
`
