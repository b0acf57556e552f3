/**
 * The contract as /openapi.json states it, held against real requests and answers with a
 * standard validator: ajv for JSON Schema draft 2020-12 (OpenAPI 3.1's dialect) with
 * ajv-formats, every `$ref` resolved to the document's components. It runs in Node: workerd
 * forbids the code generation ajv compiles schemas with.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

type Schema = Record<string, unknown>

interface Parameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  schema: Schema
}

interface Content {
  [mediaType: string]: { schema?: Schema }
}

interface Response {
  description: string
  headers?: Record<string, { required?: boolean; schema: Schema }>
  content?: Content
}

export interface Operation {
  operationId: string
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content: Content }
  responses: Record<string, Response>
}

export interface OpenApi {
  paths: Record<string, Record<string, Operation>>
  /** What the API sends to the endpoints admins register: one POST per event name. */
  webhooks?: Record<string, { post?: Operation }>
  components: { schemas: Record<string, Schema> }
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete']

/** `METHOD /path/{param}` of every operation the document has. */
export function operationsOf(document: OpenApi): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => `${method.toUpperCase()} ${path}`),
  )
}

const COMPONENTS = 'urn:readerdesk:openapi'

/** The schema with its `$ref`s pointing into the components registered with ajv. */
const resolved = (schema: unknown): Schema =>
  JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/$defs/`),
  ) as Schema

const mediaTypeOf = (contentType: string | null) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase()

const isJson = (mediaType: string) => /^application\/(?:[\w.+-]+\+)?json$/.test(mediaType)

export interface Exchange {
  url: URL
  requestHeaders: Headers
  requestBody: string | undefined
  status: number
  headers: Headers
  text: string
}

export class Contract {
  readonly operations: Map<string, { path: string; operation: Operation }>
  readonly webhooks: Map<string, Operation>
  private readonly bodies: Ajv2020
  /** Parameters and headers arrive as text: this one reads `"5"` as the integer 5. */
  private readonly texts: Ajv2020
  private readonly compiled = new Map<string, ValidateFunction>()

  constructor(document: OpenApi) {
    const ajv = (coerceTypes: boolean) => {
      const instance = new Ajv2020({ allErrors: true, allowUnionTypes: true, coerceTypes })
      addFormats(instance)
      instance.addVocabulary(['example'])
      instance.addSchema({ $id: COMPONENTS, $defs: resolved(document.components.schemas) })
      return instance
    }
    this.bodies = ajv(false)
    this.texts = ajv(true)
    this.operations = new Map(
      operationsOf(document).map((key) => {
        const [method, path] = key.split(' ') as [string, string]
        return [key, { path, operation: document.paths[path]![method.toLowerCase()]! }]
      }),
    )
    this.webhooks = new Map(
      Object.entries(document.webhooks ?? {}).flatMap(([name, item]) =>
        item.post ? [[name, item.post] as const] : [],
      ),
    )
  }

  private errors(ajv: Ajv2020, schema: Schema, value: unknown): string[] {
    const key = `${ajv === this.texts ? 'text' : 'body'}:${JSON.stringify(schema)}`
    let validate = this.compiled.get(key)
    if (!validate) {
      validate = ajv.compile(resolved(schema))
      this.compiled.set(key, validate)
    }
    if (validate(value)) return []
    return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`)
  }

  private operation(key: string) {
    const found = this.operations.get(key)
    if (!found) throw new Error(`${key} is not in the document`)
    return found
  }

  /** What the document finds wrong with a request; empty when it allows it. */
  requestProblems(key: string, exchange: Exchange): string[] {
    const { path, operation } = this.operation(key)
    return this.inputProblems(path, operation, exchange)
  }

  /** What the document's `webhooks` find wrong with a delivery of event `name` we received. */
  deliveryProblems(name: string, exchange: Exchange): string[] {
    const operation = this.webhooks.get(name)
    if (!operation) return [`the webhook ${name} is not in the document`]
    return this.inputProblems('', operation, exchange)
  }

  private inputProblems(path: string, operation: Operation, exchange: Exchange): string[] {
    const template = new RegExp(`^${path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`)
    const pathValues = template.exec(exchange.url.pathname)?.groups ?? {}
    const problems: string[] = []
    for (const location of ['path', 'query', 'header'] as const) {
      const parameters = (operation.parameters ?? []).filter((param) => param.in === location)
      if (!parameters.length) continue
      const values: Record<string, string> = {}
      for (const { name } of parameters) {
        const value =
          location === 'path'
            ? pathValues[name] && decodeURIComponent(pathValues[name])
            : location === 'query'
              ? exchange.url.searchParams.get(name)
              : exchange.requestHeaders.get(name)
        if (value !== null && value !== undefined) values[name] = value
      }
      const schema = {
        type: 'object',
        properties: Object.fromEntries(parameters.map((param) => [param.name, param.schema])),
        required: parameters.filter((param) => param.required).map((param) => param.name),
      }
      problems.push(
        ...this.errors(this.texts, schema, values).map((error) => `${location} ${error}`),
      )
    }
    const body = operation.requestBody
    if (body && exchange.requestBody === undefined && body.required) problems.push('no body')
    if (body && exchange.requestBody !== undefined) {
      // The contract's convention: any application/*+json body is read as application/json.
      const sent = mediaTypeOf(exchange.requestHeaders.get('content-type'))
      const mediaType = isJson(sent) ? 'application/json' : sent
      const schema = body.content[mediaType]?.schema
      if (!schema) problems.push(`a ${mediaType || 'typeless'} body`)
      else {
        let value: unknown
        try {
          value = JSON.parse(exchange.requestBody)
        } catch {
          problems.push('a body that is not JSON')
        }
        if (value !== undefined) problems.push(...this.errors(this.bodies, schema, value))
      }
    }
    return problems
  }

  /** What the document finds wrong with an answer; empty when it documents it exactly. */
  responseProblems(key: string, exchange: Exchange): string[] {
    const response = this.operation(key).operation.responses[String(exchange.status)]
    if (!response) return [`status ${exchange.status} is not documented`]
    const problems: string[] = []
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = exchange.headers.get(name)
      if (value === null) {
        if (header.required) problems.push(`header ${name} is missing`)
        continue
      }
      const schema = { type: 'object', properties: { [name]: header.schema } }
      problems.push(
        ...this.errors(this.texts, schema, { [name]: value }).map((error) => `header ${error}`),
      )
    }
    if (!response.content) {
      if (exchange.text !== '') problems.push('a body where the document has none')
      return problems
    }
    const mediaType = mediaTypeOf(exchange.headers.get('content-type'))
    const content = response.content[mediaType]
    if (!content) {
      const documented = Object.keys(response.content).join(', ')
      return [...problems, `content type ${mediaType}, documented: ${documented}`]
    }
    if (!content.schema) return problems
    if (!isJson(mediaType))
      return [...problems, ...this.errors(this.bodies, content.schema, exchange.text)]
    let value: unknown
    try {
      value = JSON.parse(exchange.text)
    } catch {
      return [...problems, `a ${mediaType} body that is not JSON`]
    }
    return [...problems, ...this.errors(this.bodies, content.schema, value)]
  }
}
