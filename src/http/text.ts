import { z } from '@hono/zod-openapi'
import { NOT_BLANK } from './openapi'

/** C0 and C1 controls other than tab, LF and CR, and the bidirectional overrides U+202D, U+202E. */
const UNWANTED = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202D\u202E]/g

/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Free text as the contract stores it: as sent, but without control characters (tab and line
 * breaks stay) and bidirectional overrides, and with each lone surrogate as one U+FFFD.
 */
export function cleanText(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(UNWANTED, '')
}

export function codePointLength(text: string): number {
  let length = 0
  for (const _ of text) length++
  return length
}

/**
 * A free-text field: cleaned, trimmed unless told otherwise, at most `max` Unicode code points
 * after cleaning (JSON Schema's maxLength counts code points too); `required` text must not be
 * blank.
 */
export function freeText(max: number, { trim = true, required = false } = {}) {
  return z
    .string()
    .transform((value) => (trim ? cleanText(value).trim() : cleanText(value)))
    .refine((value) => !required || value.length > 0, { message: 'must not be empty' })
    .refine((value) => codePointLength(value) <= max, {
      message: `must be at most ${max} characters`,
    })
    .openapi({ type: 'string', maxLength: max, ...(required ? NOT_BLANK : {}) })
}
