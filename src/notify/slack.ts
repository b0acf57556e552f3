/**
 * What a Slack incoming webhook receives instead of the JSON event: `{ "text" }`, one short line
 * in Slack's mrkdwn. Event data is the admin API's shapes, read defensively: a missing field
 * leaves its words out rather than failing the delivery.
 */
import { money } from '../http/money'
import type { NotifyEvent } from './messages'

/** Slack's incoming webhooks live under this address; an endpoint there gets `{ "text" }`. */
export function isSlackWebhook(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.hostname === 'hooks.slack.com'
  } catch {
    return false
  }
}

type Data = Record<string, unknown>

const QUOTE_MAX = 200

function record(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Data) : {}
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value)
  return typeof value === 'string' && value.trim() ? value.replace(/\s+/g, ' ').trim() : null
}

/** The three characters Slack's mrkdwn gives meaning to (links, mentions), as entities. */
export function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function shorten(value: string, max = QUOTE_MAX): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value
}

/** `<url|label>` for an http(s) URL; the URL's own `<`, `>` and `|` would end the link early. */
function link(url: unknown, label: unknown): string {
  const name = text(label) ?? text(url) ?? 'an article'
  const href = text(url)
  if (!href || !/^https?:\/\//i.test(href)) return escapeSlack(shorten(name))
  const target = href.replace(/[<>|]/g, encodeURIComponent).replace(/&/g, '&amp;')
  return `<${target}|${escapeSlack(shorten(name))}>`
}

function quoted(value: unknown): string | null {
  const words = text(value)
  return words ? `“${escapeSlack(shorten(words))}”` : null
}

function article(item: Data): string {
  return link(item.url, text(item.article_title) ?? text(item.title) ?? item.url)
}

function reportCreated(data: Data): string {
  const report = record(data.report)
  const quote = quoted(report.quote)
  const kind = text(report.kind)
  return (
    `New report on ${article(report)}` +
    (quote ? `: ${quote}` : '') +
    (kind ? ` (${escapeSlack(kind)})` : '')
  )
}

function value(raw: unknown): string {
  return raw === null || raw === undefined ? 'none' : escapeSlack(shorten(text(raw) ?? '', 60))
}

/** One change, whether `changes` names it by field (`status: { from, to }`) or is an event. */
function change(field: string, from: unknown, to: unknown): string {
  switch (field) {
    case 'assign':
    case 'assignee':
      return to === null || to === undefined ? 'unassigned' : `assigned to ${value(to)}`
    case 'note':
      return 'note added'
    case 'correction':
    case 'correction_id':
      return 'correction published'
    default:
      return from === undefined
        ? `${escapeSlack(field)} → ${value(to)}`
        : `${escapeSlack(field)} ${value(from)} → ${value(to)}`
  }
}

function changeList(changes: unknown): string[] {
  if (Array.isArray(changes)) {
    return changes.map(record).flatMap((item) => {
      const action = text(item.action) ?? text(item.field)
      return action ? [change(action, item.from, item.to)] : []
    })
  }
  return Object.entries(record(changes)).map(([field, raw]) => {
    const pair = record(raw)
    return 'from' in pair || 'to' in pair
      ? change(field, pair.from, pair.to)
      : change(field, undefined, raw)
  })
}

function reportUpdated(data: Data): string {
  const report = record(data.report)
  const quote = quoted(report.quote)
  const changes = changeList(data.changes)
  return (
    `Report on ${article(report)}` +
    (quote ? ` ${quote}` : '') +
    `: ${changes.length ? changes.join(', ') : 'updated'}`
  )
}

const CORRECTION_KINDS: Record<string, string> = {
  correction: 'Correction',
  clarification: 'Clarification',
  update: 'Update',
}

function correctionPublished(data: Data): string {
  const correction = record(data.correction)
  const kind = CORRECTION_KINDS[text(correction.kind) ?? ''] ?? 'Correction'
  const words = text(correction.text)
  return (
    `${kind} published on ${article(correction)}` +
    (words ? `: ${escapeSlack(shorten(words, 500))}` : '')
  )
}

function supporterLine(data: Data, verb: string): string {
  const supporter = record(data.supporter)
  const who = escapeSlack(shorten(text(supporter.name) ?? 'A supporter', 100))
  const amount = typeof supporter.amount === 'number' ? supporter.amount : null
  const currency = text(supporter.currency)
  const interval = text(supporter.interval)
  const tier = text(supporter.tier_id)
  const plan =
    amount !== null && currency
      ? escapeSlack(money(amount, currency)) +
        (interval === 'month' || interval === 'year' ? ` a ${interval}` : '')
      : tier
        ? `tier ${escapeSlack(tier)}`
        : null
  return `${who} ${verb}` + (plan ? ` (${plan})` : '')
}

/** The one line a Slack channel shows for `event`. */
export function slackText(event: NotifyEvent): string {
  const data = record(event.data)
  switch (event.type) {
    case 'report.created':
      return reportCreated(data)
    case 'report.updated':
      return reportUpdated(data)
    case 'correction.published':
      return correctionPublished(data)
    case 'supporter.started':
      return supporterLine(data, 'started supporting')
    case 'supporter.canceled':
      return supporterLine(data, 'canceled their support')
  }
}
