/**
 * Requests generated from the served OpenAPI document: valid values for each operation's body,
 * parameters and headers (plus the contract's rules a JSON Schema cannot say), hostile changes
 * to them, and a judge that tells whether a body is valid, invalid or open to reading.
 */
import fc from 'fast-check'

export interface Schema {
  $ref?: string
  allOf?: Schema[]
  type?: string | string[]
  enum?: unknown[]
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  items?: Schema
  minItems?: number
  maxItems?: number
  uniqueItems?: boolean
}

interface RawOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
  responses?: Record<string, unknown>
  security?: unknown[]
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>
  components?: { schemas?: Record<string, Schema> }
}

export interface Parameter {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  schema: Schema
}

export interface Operation {
  /** `METHOD /path/{param}`, as the document spells the path. */
  key: string
  method: string
  path: string
  params: Parameter[]
  body: { schema: Schema; component: string | null } | null
  statuses: Set<number>
  secured: boolean
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, raw]) => {
      const schema = raw.requestBody?.content?.['application/json']?.schema
      return {
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params: (raw.parameters ?? []).map((param) => ({
          name: param.name,
          in: param.in as Parameter['in'],
          required: param.required ?? false,
          schema: resolve(doc, param.schema ?? {}),
        })),
        body: schema ? { schema: resolve(doc, schema), component: componentOf(schema) } : null,
        statuses: new Set(Object.keys(raw.responses ?? {}).map(Number)),
        secured: (raw.security ?? []).length > 0,
      }
    }),
  )
}

function componentOf(schema: Schema): string | null {
  return schema.$ref?.replace('#/components/schemas/', '') ?? null
}

/** The schema with its `$ref` followed and its `allOf` merged into one object schema. */
function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  if (schema.$ref) {
    const target = doc.components?.schemas?.[componentOf(schema) ?? '']
    if (!target) throw new Error(`the document has no ${schema.$ref}`)
    return resolve(doc, { ...target, ...withoutRef(schema) })
  }
  if (!schema.allOf) return schema
  const parts = schema.allOf.map((part) => resolve(doc, part))
  // A named scalar with words of its own (`allOf: [{ $ref: ReportKind }, { description }]`).
  if (!parts.some((part) => part.properties || typesOf(part).includes('object')))
    return Object.assign({}, ...parts) as Schema
  return {
    type: 'object',
    properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
    required: parts.flatMap((part) => part.required ?? []),
  }
}

function withoutRef({ $ref: _ref, ...rest }: Schema): Schema {
  return rest
}

function propertiesOf(doc: OpenApiDocument, schema: Schema) {
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    schema: resolve(doc, property),
    required: (schema.required ?? []).includes(name),
  }))
}

function typesOf(schema: Schema): string[] {
  if (schema.type) return Array.isArray(schema.type) ? schema.type : [schema.type]
  if (schema.enum) return [...new Set(schema.enum.map(jsonType))]
  return []
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

// ---------------------------------------------------------------------------------------------
// Free text, as the contract cleans it

/** What cleaning removes: C0 controls but tab, LF and CR; DEL and C1; U+202D and U+202E. */
const REMOVED = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202d\u202e]/g
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** The contract's free-text cleaning: controls and overrides removed, lone surrogates U+FFFD. */
export function cleanText(text: string): string {
  return text.replace(REMOVED, '').replace(LONE_SURROGATE, '\ufffd')
}

/** Cleaning in the other order; where the two differ the contract does not say which holds. */
function cleanTextSurrogatesFirst(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd').replace(REMOVED, '')
}

export function uncleanCharacters(text: string): string[] {
  return [...(text.match(REMOVED) ?? []), ...(text.match(LONE_SURROGATE) ?? [])]
}

export const codePoints = (text: string) => [...text].length

/** One of the choices, each as often as its weight says. */
export function weighted<T>(choices: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })))
}

// ---------------------------------------------------------------------------------------------
// Valid values

export type Pool = 'report' | 'submission' | 'editor' | 'tier'

/** A reference to something the run has created, resolved when the request is sent. */
export class Pick {
  constructor(
    readonly pool: Pool,
    readonly n: number,
  ) {}

  [fc.toStringMethod](): string {
    return `pick(${this.pool}, ${this.n})`
  }
}

const pick = (pool: Pool) => fc.nat(1_000).map((n) => new Pick(pool, n))

export const ALLOWED_SITES = ['https://news.example', 'https://www.news.example']
const ARTICLES = ['2026/11/city-budget', '2026/11/school-board', 'opinion/parks', 'live/vote']

export const siteUrl = fc
  .tuple(
    fc.constantFrom(...ALLOWED_SITES, 'HTTPS://News.Example:443'),
    fc.constantFrom(...ARTICLES),
    fc.constantFrom('', '?utm_source=mail', '#comments', '?page=2&lang=en'),
  )
  .map(([site, article, tail]) => `${site}/${article}${tail}`)

const offSiteUrl = fc.constantFrom('https://elsewhere.example/a', 'http://news.example/plain-http')

const email = fc
  .tuple(fc.constantFrom('ada', 'Grace.Hopper', 'reader+news'), fc.nat(9_999))
  .map(([name, n]) => `${name}.${n}@example.org`)

/** BCP 47 tags, up to the contract's 35 characters. */
const LANGUAGE_TAGS = ['en', 'es', 'uk', 'en-GB', 'pt-br', 'zh-Hant-TW', 'sr-Latn-RS', 'de-CH-1996']
const LONGEST_TAG = 'en-vaaaaaaa-vbbbbbbb-vccccccc-vdddd'

const QUOTES = ['The council approved 12 million for parks', 'Turnout was 64 percent']

/** One code point of ordinary text: letters, spaces, tabs and line breaks, any script. */
const textUnit = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ') },
  {
    weight: 3,
    arbitrary: fc
      .string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 })
      .filter((unit) => cleanText(unit) === unit),
  },
  { weight: 1, arbitrary: fc.constantFrom('é', 'ß', 'İ', '😀', '中', '\t', '\n', '\u00a0') },
)

/** Text of `min` to `max` code points; non-blank when a minimum is asked for. */
export function text(min = 0, max = 80): fc.Arbitrary<string> {
  const short = fc.array(textUnit, { minLength: min, maxLength: Math.min(max, Math.max(min, 40)) })
  // The longest text repeats a short one, so that it shrinks as fast as a short one.
  const longest = fc
    .array(textUnit, { minLength: 1, maxLength: 8 })
    .map((units) => Array.from({ length: max }, (_, n) => units[n % units.length] ?? 'a'))
  return fc
    .oneof({ weight: 6, arbitrary: short }, { weight: 1, arbitrary: longest })
    .map((units) => (min > 0 ? ['a', ...units.slice(1)] : units).join(''))
}

/** The pattern the document gives free text that must not be blank. */
const NOT_BLANK = '\\S'

/** Whether a property is free text: a plain string the contract cleans. */
function isFreeText(name: string, schema: Schema): boolean {
  return (
    typesOf(schema).includes('string') &&
    !schema.enum &&
    !schema.format &&
    (!schema.pattern || schema.pattern === NOT_BLANK) &&
    !(name in HINTS)
  )
}

/** Properties whose contract says more than their schema (values, references, honeypot). */
const HINTS: Record<string, fc.Arbitrary<unknown>> = {
  lang: fc.constantFrom(...LANGUAGE_TAGS, LONGEST_TAG),
  currency: fc.constantFrom('usd', 'eur', 'gbp'),
  interval: fc.constantFrom('once', 'month', 'year'),
  tier_id: pick('tier'),
  duplicate_of: pick('report'),
  turnstile_token: fc.constantFrom('XXXX.DUMMY.TOKEN', 'token'),
  website: fc.constantFrom('', 'https://spam.example'),
}

function validValue(doc: OpenApiDocument, name: string, raw: Schema): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw)
  const types = typesOf(schema)
  const value = nonNullValue(doc, name, schema, types)
  return types.includes('null') ? fc.option(value, { freq: 4, nil: null }) : value
}

function nonNullValue(
  doc: OpenApiDocument,
  name: string,
  schema: Schema,
  types: string[],
): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum.filter((value) => value !== null))
  const hint = HINTS[name]
  if (hint) return hint
  if (schema.format === 'uri') {
    return name === 'url' || name.endsWith('_url')
      ? fc.oneof({ weight: 7, arbitrary: siteUrl }, { weight: 1, arbitrary: offSiteUrl })
      : siteUrl
  }
  if (schema.format === 'email') return email
  if (name === 'quote') return fc.oneof(fc.constantFrom(...QUOTES), text(0, schema.maxLength))
  if (types.includes('object')) return objectValue(doc, schema)
  if (types.includes('array') && schema.items) return arrayValue(doc, name, schema, schema.items)
  if (types.includes('integer')) {
    return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000_000 })
  }
  if (types.includes('boolean')) return fc.boolean()
  if (types.includes('string')) {
    const min = schema.minLength ?? (schema.pattern === NOT_BLANK ? 1 : 0)
    return text(min, schema.maxLength ?? 80)
  }
  return fc.constant('x')
}

function arrayValue(doc: OpenApiDocument, name: string, schema: Schema, items: Schema) {
  const item = validValue(doc, name, items)
  const bounds = { minLength: schema.minItems ?? 0, maxLength: schema.maxItems ?? 10 }
  return schema.uniqueItems
    ? fc.uniqueArray(item, { ...bounds, selector: (value) => JSON.stringify(value) })
    : fc.array(item, bounds)
}

function objectValue(doc: OpenApiDocument, schema: Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = propertiesOf(doc, schema)
  const model = Object.fromEntries(
    properties.map((property) => [property.name, validValue(doc, property.name, property.schema)]),
  )
  const requiredKeys = properties.filter((property) => property.required).map((p) => p.name)
  return fc.record(model, { requiredKeys }).map((value) => ({ ...value }))
}

/**
 * A valid body for a component: its schema, then the contract's rules between fields that the
 * schema cannot say (a report needs a quote or a comment; checkout is a tier or an amount).
 */
export function validBody(doc: OpenApiDocument, body: NonNullable<Operation['body']>) {
  const base = objectValue(doc, body.schema)
  switch (body.component) {
    case 'ReportInput':
      return fc.tuple(base, fc.constantFrom(...QUOTES)).map(([value, quote]) => {
        const sent = (field: string) => cleanText(String(value[field] ?? '')).trim() !== ''
        return sent('quote') || sent('comment') ? value : { ...value, quote }
      })
    case 'CheckoutInput':
      return fc
        .tuple(base, fc.boolean(), fc.integer({ min: 100, max: 1_000_000 }), pick('tier'))
        .map(([value, byTier, amount, tier]) => {
          const { tier_id: _tier, amount: _amount, currency, interval, ...rest } = value
          return byTier
            ? { ...rest, tier_id: tier }
            : { ...rest, amount, currency: currency ?? 'usd', ...(interval ? { interval } : {}) }
        })
    case 'ReportPatch':
      return fc
        .tuple(base, pick('report'))
        .map(([value, report]) =>
          value.status === 'duplicate' && !value.duplicate_of
            ? { ...value, duplicate_of: report }
            : value,
        )
    case 'SupportersGoalInput':
      // A monthly goal needs a currency; a count of supporters has none.
      return base.map(({ currency, ...value }) =>
        value.kind === 'monthly' ? { ...value, currency: currency ?? 'usd' } : value,
      )
    case 'TierPatch':
      return base.map((value) => (Object.keys(value).length ? value : { active: true }))
    default:
      return base
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile changes

/** Code points that cleaning removes or replaces, and neighbours of them that it keeps. */
export const hostileUnit = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)),
  fc.integer({ min: 0x7f, max: 0x9f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('\u202e', '\u202d', '\ud800', '\udbff', '\udc00', '\udfff', '\u200e', '\ufeff'),
)

const wrongTypedValue = fc.constantFrom(
  42,
  -1.5,
  0,
  true,
  false,
  null,
  [],
  ['x'],
  {},
  {
    quote: 'x',
  },
)

const NOT_JSON = [
  '',
  '{',
  '{"url":',
  'null',
  '[]',
  '"text"',
  '123',
  "{'url': 'https://news.example/a'}",
  '{"url": "https://news.example/a"} trailing',
  '{"quote": "a",}',
  'NaN',
  'url=https%3A%2F%2Fnews.example%2Fa&quote=a',
]

/** Media types that are JSON by the contract, and ones that are not. */
export const JSON_MEDIA_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json ; charset=utf-8',
  'application/json;charset="UTF-8"',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'application/vnd.readerdesk+json; charset=utf-8',
]
export const OTHER_MEDIA_TYPES = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/json',
  'application/jsonp',
  'application/json-seq',
  'application/octet-stream',
]

export type Change =
  | { kind: 'none' }
  | { kind: 'wrongType'; field: number; value: unknown }
  | { kind: 'breakRule'; field: number; variant: number }
  | { kind: 'hostileText'; field: number; inserts: { at: number; unit: string }[] }
  | { kind: 'deepNesting'; field: number; depth: number; whole: boolean }
  | { kind: 'duplicateKey'; field: number; value: unknown }
  | { kind: 'unknownField'; name: string; value: unknown }
  | { kind: 'notJson'; text: string }
  | { kind: 'badUtf8' }
  | { kind: 'mediaType'; value: string | null }
  | { kind: 'oversize'; bytes: number }

export const bodyChange: fc.Arbitrary<Change> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ kind: 'none' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('wrongType' as const),
      field: fc.nat(),
      value: wrongTypedValue,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('breakRule' as const),
      field: fc.nat(),
      variant: fc.nat(),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('hostileText' as const),
      field: fc.nat(),
      inserts: fc.array(fc.record({ at: fc.nat(), unit: hostileUnit }), {
        minLength: 1,
        maxLength: 6,
      }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deepNesting' as const),
      field: fc.nat(),
      depth: fc.integer({ min: 64, max: 20_000 }),
      whole: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('duplicateKey' as const),
      field: fc.nat(),
      value: fc.oneof(wrongTypedValue, text(0, 20)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('unknownField' as const),
      name: fc.constantFrom('extra', '__proto__', 'constructor', 'Quote', ''),
      value: wrongTypedValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('notJson' as const),
      text: fc.constantFrom(...NOT_JSON),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'badUtf8' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('mediaType' as const),
      value: fc.constantFrom<string | null>(...JSON_MEDIA_TYPES, ...OTHER_MEDIA_TYPES, null),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('oversize' as const),
      bytes: fc.integer({ min: 64 * 1024 + 1, max: 80 * 1024 }),
    }),
  },
)

/** A value that breaks the property's rule (length, range, enum, pattern, format), if it has one. */
export function ruleBreakers(name: string, schema: Schema): unknown[] {
  const breakers: unknown[] = []
  if (name === 'lang')
    breakers.push(`${LONGEST_TAG}-veeee`, 'en-vaaaaaaa-vbbbbbbb-vccccccc-vdddddd')
  if (schema.maxLength !== undefined) {
    const over = schema.maxLength + 1
    if (schema.format === 'uri') breakers.push(`https://news.example/${'a'.repeat(over)}`)
    else if (schema.format === 'email') breakers.push(`${'a'.repeat(over)}@example.org`)
    else if (!schema.enum && name !== 'lang')
      breakers.push('b'.repeat(over), `${'c'.repeat(over)}😀`)
  }
  if (schema.minLength) breakers.push('')
  if (schema.minimum !== undefined) breakers.push(schema.minimum - 1)
  if (schema.maximum !== undefined) breakers.push(schema.maximum + 1)
  if (typesOf(schema).includes('integer')) breakers.push((schema.minimum ?? 0) + 0.5)
  if (schema.enum) breakers.push('bogus', String(schema.enum[0]).toUpperCase())
  if (schema.pattern === NOT_BLANK) breakers.push(' \t ')
  else if (schema.pattern) breakers.push('USD', 'usdx', 'u')
  if (schema.format === 'uri') breakers.push('not a url', '/2026/11/city-budget', 'https://')
  if (schema.format === 'email') breakers.push('not-an-email', 'reader@', '@example.org')
  if (name === 'interval' && !schema.enum) breakers.push('weekly')
  return breakers
}

// ---------------------------------------------------------------------------------------------
// Judging a body against the document and the contract

/** The URL, or null where the URL parser refuses it. */
export function parseUrl(value: string): URL | null {
  try {
    return new URL(value)
  } catch {
    return null
  }
}

export type Verdict = 'valid' | 'invalid' | 'unknown'

/** The worst of several verdicts: one invalid field makes the body invalid. */
export function worst(...verdicts: Verdict[]): Verdict {
  if (verdicts.includes('invalid')) return 'invalid'
  return verdicts.includes('unknown') ? 'unknown' : 'valid'
}

function textVerdict(schema: Schema, value: string, trimmed: boolean): Verdict {
  const lengthOk = (cleaned: string) => {
    const length = codePoints(trimmed ? cleaned.trim() : cleaned)
    return length >= (schema.minLength ?? 0) && length <= (schema.maxLength ?? Infinity)
  }
  const verdicts = [cleanText(value), cleanTextSurrogatesFirst(value)].map(lengthOk)
  if (verdicts[0] !== verdicts[1]) return 'unknown'
  if (!verdicts[0]) return 'invalid'
  // Blank once cleaned: refused where the document says not blank; otherwise left open.
  if (cleanText(value).trim() === '' && schema.pattern === NOT_BLANK) return 'invalid'
  return schema.minLength && cleanText(value).trim() === '' ? 'unknown' : 'valid'
}

function stringVerdict(name: string, schema: Schema, value: string): Verdict {
  if (isFreeText(name, schema)) return textVerdict(schema, value, true)
  const length = codePoints(value)
  if (length > (schema.maxLength ?? Infinity) || length < (schema.minLength ?? 0)) return 'invalid'
  if (schema.pattern && !new RegExp(schema.pattern).test(value)) return 'invalid'
  if (uncleanCharacters(value).length) return 'unknown'
  if (schema.format === 'uri') {
    const url = parseUrl(value)
    if (!url) return 'invalid'
    return /^https?:$/.test(url.protocol) ? 'valid' : 'unknown'
  }
  if (schema.format === 'email') {
    if (/^[\w.+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(value)) return 'valid'
    return /^[^@]*@[^@]*$/.test(value) && !value.startsWith('@') && !value.endsWith('@')
      ? 'unknown'
      : 'invalid'
  }
  if (name === 'lang') {
    try {
      Intl.getCanonicalLocales(value)
      return 'valid'
    } catch {
      return 'invalid'
    }
  }
  if (name === 'currency') return ['usd', 'eur', 'gbp'].includes(value) ? 'valid' : 'unknown'
  if (name === 'interval' && !schema.enum) {
    return ['once', 'month', 'year'].includes(value) ? 'valid' : 'invalid'
  }
  return 'valid'
}

/** Whether `value` is what the document (and the contract's few extra rules) accepts. */
export function judge(doc: OpenApiDocument, name: string, raw: Schema, value: unknown): Verdict {
  const schema = resolve(doc, raw)
  const types = typesOf(schema)
  const type = jsonType(value)
  const typeOk =
    types.length === 0 || types.includes(type) || (type === 'integer' && types.includes('number'))
  if (!typeOk) return 'invalid'
  if (schema.enum && !schema.enum.includes(value)) return 'invalid'
  if (typeof value === 'string') return stringVerdict(name, schema, value)
  if (typeof value === 'number') {
    if (value < (schema.minimum ?? -Infinity) || value > (schema.maximum ?? Infinity))
      return 'invalid'
    return 'valid'
  }
  if (type === 'object') return objectVerdict(doc, schema, value as Record<string, unknown>)
  if (type === 'array') return arrayVerdict(doc, name, schema, value as unknown[])
  return 'valid'
}

function arrayVerdict(doc: OpenApiDocument, name: string, schema: Schema, value: unknown[]) {
  if (value.length < (schema.minItems ?? 0) || value.length > (schema.maxItems ?? Infinity)) {
    return 'invalid'
  }
  const texts = value.map((item) => JSON.stringify(item))
  if (schema.uniqueItems && new Set(texts).size !== texts.length) return 'invalid'
  const items = schema.items
  return items ? worst(...value.map((item) => judge(doc, name, items, item))) : 'valid'
}

function objectVerdict(
  doc: OpenApiDocument,
  schema: Schema,
  value: Record<string, unknown>,
): Verdict {
  const properties = propertiesOf(doc, schema)
  const known = new Set(properties.map((property) => property.name))
  const verdicts = properties.map((property) => {
    const field = value[property.name]
    if (field === undefined) return property.required ? 'invalid' : 'valid'
    // null for an optional field that is not nullable: leniency the contract does not rule on.
    if (field === null && !property.required && !typesOf(property.schema).includes('null')) {
      return 'unknown'
    }
    return judge(doc, property.name, property.schema, field)
  })
  const extra = Object.keys(value).filter((key) => !known.has(key))
  if (extra.length && schema.additionalProperties === false) verdicts.push('invalid')
  return worst(...verdicts)
}

/** The contract's rules between a component's fields. */
function componentVerdict(component: string | null, value: Record<string, unknown>): Verdict {
  const sent = (field: string) => {
    const given = value[field]
    return typeof given === 'string' && cleanText(given).trim() !== ''
  }
  switch (component) {
    case 'ReportInput':
      return sent('quote') || sent('comment') ? 'valid' : 'invalid'
    case 'CheckoutInput': {
      const byTier = value.tier_id !== undefined && value.tier_id !== null
      const byAmount = value.amount !== undefined && value.amount !== null
      if (byTier && byAmount) return 'unknown'
      if (byTier) return 'valid'
      if (!byAmount) return 'invalid'
      return value.currency === undefined || value.currency === null ? 'unknown' : 'valid'
    }
    case 'SupportersGoalInput': {
      // A monthly goal needs a currency; a count of supporters refuses one.
      const currency = value.currency !== undefined && value.currency !== null
      return currency === (value.kind === 'monthly') ? 'valid' : 'invalid'
    }
    case 'SupportersGoalInput': {
      // A monthly goal needs a currency; a count of supporters refuses one.
      const currency = value.currency !== undefined && value.currency !== null
      return currency === (value.kind === 'monthly') ? 'valid' : 'invalid'
    }
    case 'TierPatch':
      return Object.values(value).some((field) => field !== undefined) ? 'valid' : 'unknown'
    default:
      return 'valid'
  }
}

// ---------------------------------------------------------------------------------------------
// A body after a change: its bytes, media type, what the server will read and the verdict

export function isJsonMediaType(value: string | null): boolean {
  return value !== null && JSON_MEDIA_TYPES.includes(value)
}

export function freeTextFields(doc: OpenApiDocument, op: Operation) {
  return propertiesOf(doc, op.body?.schema ?? {}).filter((p) => isFreeText(p.name, p.schema))
}

const encoder = new TextEncoder()

interface ChangedBody {
  bytes: Uint8Array
  mediaType: string | null
  verdict: Verdict
  /** The JSON object the server will read, when there is one and it is worth looking at. */
  parsed: Record<string, unknown> | null
}

/** The valid `body` of `op`, changed as `change` says. */
export function changeBody(
  doc: OpenApiDocument,
  op: Operation,
  body: Record<string, unknown>,
  change: Change,
): ChangedBody {
  const fields = propertiesOf(doc, op.body?.schema ?? {})
  const field = (n: number) => fields[n % Math.max(fields.length, 1)]
  const value: Record<string, unknown> = { ...body }
  let mediaType: string | null = 'application/json'
  let text: string | null = null
  let verdict: Verdict | null = null
  switch (change.kind) {
    case 'wrongType': {
      const target = field(change.field)
      if (target) value[target.name] = change.value
      break
    }
    case 'breakRule': {
      const target = field(change.field)
      const breakers = target ? ruleBreakers(target.name, target.schema) : []
      if (target && breakers.length) value[target.name] = breakers[change.variant % breakers.length]
      break
    }
    case 'hostileText': {
      const texts = freeTextFields(doc, op)
      const target = texts[change.field % Math.max(texts.length, 1)] ?? field(change.field)
      if (!target) break
      const original = value[target.name]
      const units = [...(typeof original === 'string' && original ? original : 'a hostile text')]
      for (const { at, unit } of change.inserts) units.splice(at % (units.length + 1), 0, unit)
      value[target.name] = units.join('')
      break
    }
    case 'deepNesting': {
      const target = field(change.field)
      if (change.whole || !target) {
        text = '{"a":'.repeat(change.depth) + '1' + '}'.repeat(change.depth)
        verdict = 'invalid'
      } else {
        value[target.name] = 'NESTED'
        const nested = '['.repeat(change.depth) + ']'.repeat(change.depth)
        text = JSON.stringify(value).replace('"NESTED"', nested)
        value[target.name] = []
      }
      break
    }
    case 'duplicateKey': {
      const target = field(change.field)
      if (!target) break
      const json = JSON.stringify(value)
      const again = `${JSON.stringify(target.name)}:${JSON.stringify(change.value)}`
      text = json === '{}' ? `{${again},${again}}` : `${json.slice(0, -1)},${again}}`
      // Which of the two the server reads, the contract does not say.
      verdict = 'unknown'
      break
    }
    case 'unknownField': {
      const json = JSON.stringify(value)
      const extra = `${JSON.stringify(change.name)}:${JSON.stringify(change.value)}`
      text = json === '{}' ? `{${extra}}` : `{${extra},${json.slice(1)}`
      break
    }
    case 'notJson':
      text = change.text
      verdict = 'invalid'
      break
    case 'mediaType':
      mediaType = change.value
      break
    case 'oversize': {
      const json = JSON.stringify(value)
      text = json + ' '.repeat(Math.max(change.bytes - encoder.encode(json).length, 0))
      break
    }
    case 'badUtf8':
    case 'none':
      break
  }
  text ??= JSON.stringify(value)
  let bytes = encoder.encode(text)
  if (change.kind === 'badUtf8') {
    const at = text.indexOf('"') + 1
    bytes = new Uint8Array([...bytes.slice(0, at), 0xff, 0xfe, ...bytes.slice(at)])
    verdict = 'invalid'
  }
  if (verdict === 'invalid') return { bytes, mediaType, verdict, parsed: null }
  const read: unknown = JSON.parse(text)
  const parsed =
    read && typeof read === 'object' && !Array.isArray(read) ? (read as typeof value) : null
  verdict ??= parsed
    ? worst(
        judge(doc, '', op.body?.schema ?? {}, parsed),
        componentVerdict(op.body?.component ?? null, parsed),
      )
    : 'invalid'
  return { bytes, mediaType, verdict, parsed: change.kind === 'deepNesting' ? null : parsed }
}
