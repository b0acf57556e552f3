/**
 * The email that tells one reader what became of their report. Pure: it gets only this
 * reader's data, so no other reader's address, comment or link can end up in it.
 */
import { escapeHtml } from '../http/html'
import type { CorrectionKind } from '../reports/schemas'
import { readerLanguage } from './language'
import type { ReaderOutcome } from './messages'
import { EMAIL_TEXT, type EmailText } from './reader-email-text'

export interface ReaderEmailInput {
  /** The submission's `lang`, as the reader's page declared it. */
  lang: string | null
  outcome: ReaderOutcome
  correction: { kind: string; text: string; published_at: string } | null
  article: { url: string; title: string | null }
  /** What the reader selected; may be empty. */
  quote: string
  statusUrl: string
  forgetUrl: string
  /** The reader's report was closed as a duplicate of the one this outcome is about. */
  viaDuplicate: boolean
}

export interface ReaderEmail {
  subject: string
  text: string
  html: string
}

/** The email's parts in reading order; text and HTML are two renderings of them. */
interface Parts {
  language: string
  words: EmailText
  subject: string
  intro: string
  quote: string | null
  lead: string[]
  correction: { heading: string; text: string } | null
  links: { label: string; url: string }[]
}

function kindLabel(words: EmailText, kind: string): string {
  return kind in words.kinds ? words.kinds[kind as CorrectionKind] : kind
}

function publishedOn(words: EmailText, iso: string): string | null {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return null
  return new Intl.DateTimeFormat(words.locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date)
}

function partsOf(input: ReaderEmailInput): Parts {
  const language = readerLanguage(input.lang)
  const words = EMAIL_TEXT[language]
  const { outcome, correction } = input
  const lead = input.viaDuplicate ? [words.duplicate[outcome]] : []
  lead.push(outcome === 'correction' ? words.corrected : words.rejected)
  let shown: Parts['correction'] = null
  if (outcome === 'correction' && correction) {
    const date = publishedOn(words, correction.published_at)
    const kind = kindLabel(words, correction.kind)
    shown = { heading: date ? `${kind} · ${date}` : kind, text: correction.text }
  }
  return {
    language,
    words,
    subject: words.subject[outcome],
    intro: words.reported(input.article.title?.trim() || input.article.url),
    quote: input.quote.trim() ? input.quote : null,
    lead,
    correction: shown,
    links: [
      { label: words.article, url: input.article.url },
      { label: words.status, url: input.statusUrl },
      { label: words.forget, url: input.forgetUrl },
    ],
  }
}

function renderText(parts: Parts): string {
  const { words } = parts
  const blocks = [words.greeting, parts.intro]
  if (parts.quote) blocks.push(`${words.selected}\n${words.quoted(parts.quote)}`)
  blocks.push(parts.lead.join('\n'))
  if (parts.correction) blocks.push(`${parts.correction.heading}\n${parts.correction.text}`)
  blocks.push(parts.links.map((link) => `${link.label}: ${link.url}`).join('\n'))
  blocks.push(`-- \n${words.footer}`)
  return `${blocks.join('\n\n')}\n`
}

const FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
const P = 'margin:0 0 16px'
const LINK = 'color:#1f5a94'

/** Only web links become links: an article URL is checked on submission, this checks again. */
function link(label: string, url: string): string {
  const text = escapeHtml(label)
  if (!/^https?:\/\//i.test(url)) return text
  return `<a href="${escapeHtml(url)}" style="${LINK}">${text}</a>`
}

function renderHtml(parts: Parts): string {
  const { words } = parts
  const body = [`<p style="${P}">${escapeHtml(words.greeting)}</p>`]
  body.push(`<p style="${P}">${escapeHtml(parts.intro)}</p>`)
  if (parts.quote)
    body.push(
      `<p style="margin:0 0 4px">${escapeHtml(words.selected)}</p>`,
      `<blockquote style="${P};padding:4px 12px;border-left:3px solid #a1a1a6;color:#3a3a3c;white-space:pre-wrap">${escapeHtml(parts.quote)}</blockquote>`,
    )
  for (const line of parts.lead) body.push(`<p style="${P}">${escapeHtml(line)}</p>`)
  if (parts.correction)
    body.push(
      `<div style="${P};padding:12px 16px;background:#f5f5f7;border-radius:6px">`,
      `<p style="margin:0 0 6px;font-weight:600">${escapeHtml(parts.correction.heading)}</p>`,
      `<p style="margin:0;white-space:pre-wrap">${escapeHtml(parts.correction.text)}</p>`,
      '</div>',
    )
  for (const item of parts.links)
    body.push(`<p style="margin:0 0 8px">${link(item.label, item.url)}</p>`)
  body.push(
    `<p style="margin:24px 0 0;padding-top:12px;border-top:1px solid #e2e2e2;font-size:13px;color:#5f5f64">${escapeHtml(words.footer)}</p>`,
  )
  return [
    '<!doctype html>',
    `<html lang="${parts.language}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(parts.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:#ffffff">`,
    `<div style="max-width:560px;margin:0 auto;padding:24px 20px;${FONT};font-size:16px;line-height:1.5;color:#1d1d1f">`,
    ...body,
    '</div></body></html>',
  ].join('\n')
}

/** A reader's email, in their language, as plain text and simple HTML. */
export function composeReaderEmail(input: ReaderEmailInput): ReaderEmail {
  const parts = partsOf(input)
  return { subject: parts.subject, text: renderText(parts), html: renderHtml(parts) }
}
