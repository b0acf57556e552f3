import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './context'
import { ApiError } from './problem'

export const JSON_BODY_LIMIT = 64 * 1024

/** `application/json` or `application/*+json`, with any parameters and spacing RFC 9110 allows. */
const JSON_MEDIA_TYPE = /^\s*application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

function tooLarge(limit: number): ApiError {
  return new ApiError('payload_too_large', `The body must be at most ${limit} bytes.`)
}

/** Reads at most `limit` bytes, whatever Content-Length claims (chunked bodies have none). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit)
  if (!request.body) return new Uint8Array()
  // A declared length is the body's length (the runtime frames the body by it): read it whole.
  if (declared !== null) return new Uint8Array(await request.arrayBuffer())
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/**
 * Admits a JSON body by size and media type, in the contract's order: 413 first, then 415 for
 * anything but JSON (browsers send text/plain cross-origin without a preflight). The bytes stay
 * in `rawBody` for signatures and idempotency fingerprints; parsing waits for `parseJson`, so
 * that origin and rate-limit answers come before a malformed body's 400.
 */
export function jsonBody(limit = JSON_BODY_LIMIT): MiddlewareHandler<AppEnv> {
  return async function jsonBody(c, next) {
    const bytes = await readCapped(c.req.raw, limit)
    if (!JSON_MEDIA_TYPE.test(c.req.header('content-type') ?? '')) {
      throw new ApiError('unsupported_media_type', 'Send the body as application/json.')
    }
    c.set('rawBody', bytes)
    await next()
  }
}

/** The one media type every validator downstream accepts as it is. */
const PLAIN_JSON = /^application\/json$/i

/**
 * 400 for a body that is not UTF-8 JSON; otherwise hands the text to the route's validator,
 * labelled plain `application/json`: `jsonBody` has already decided the media type, and the
 * validator must not decide it again by a stricter pattern of its own. The text is decoded
 * once: the validator reads it from Hono's body cache.
 */
export function parseJson(): MiddlewareHandler<AppEnv> {
  return async function parseJson(c, next) {
    let text: string
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(c.get('rawBody'))
      JSON.parse(text)
    } catch {
      throw new ApiError('validation_failed', 'The body is not valid UTF-8 JSON.', {
        errors: [{ path: '(body)', message: 'malformed JSON' }],
      })
    }
    if (!PLAIN_JSON.test(c.req.header('content-type') ?? '')) {
      const headers = new Headers(c.req.raw.headers)
      headers.set('content-type', 'application/json')
      c.req.raw = new Request(c.req.raw, { body: text, headers })
    }
    // Hono keeps each body reading as a promise, whatever its type declaration says.
    const cache = c.req.bodyCache as { text?: Promise<string> }
    cache.text = Promise.resolve(text)
    await next()
  }
}
