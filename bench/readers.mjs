// Readers' reports as the benchmark sends them: the light requests (no Idempotency-Key, one
// address, the least a body can be) and the widget's (src/widget/client/dialog.ts `reportBody`:
// the selection with 300 code points of context each side, the reader's words, the page's
// title and language, the empty honeypot, a fresh Idempotency-Key, the page's Origin, and a
// reader address of its own, as every reader has room under the rate limit in production).
import { randomInt, randomUUID } from 'node:crypto'

export const SITE = 'https://news.example'

/** A report submission whose body and headers `make()` builds afresh for every request. */
function reportRequest(make) {
  return {
    method: 'POST',
    path: '/v1/reports',
    setupRequest: (request) => {
      const { headers, body } = make()
      return {
        ...request,
        headers: { ...request.headers, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }
    },
  }
}

/** Light: a new quote on a new article, from one address, without a key. */
export const lightNewReport = () =>
  reportRequest(() => ({
    headers: { 'cf-connecting-ip': '203.0.113.9' },
    body: {
      url: `${SITE}/bench/${randomUUID()}`,
      quote: `words ${randomUUID()}`,
      suggestion: 'better words',
    },
  }))

/** Light: the same quote on the same article again, as readers of a viral typo send it. */
export const lightJoinReport = () =>
  reportRequest(() => ({
    headers: { 'cf-connecting-ip': '203.0.113.9' },
    body: {
      url: `${SITE}/bench/viral`,
      quote: 'The Viral Typo',
      comment: `me too ${randomUUID()}`,
    },
  }))

const PARAGRAPH =
  'The council approved the budget late on Tuesday after a session that ran past midnight, ' +
  'with eleven votes in favour and four against. The plan moves money from road repairs to ' +
  'the city’s two libraries and the night bus, and it freezes the fee for swimming pools for ' +
  'another year. The mayor called it a budget for people who do not own a car; the opposition ' +
  'said the roads would pay for it by spring. Residents who spoke at the meeting were divided, ' +
  'though most of them asked about the libraries. '

/** What the widget cuts around a selection: up to 300 code points on each side. */
const BEFORE = Array.from(PARAGRAPH.repeat(2)).slice(-300).join('').trimStart()
const AFTER = Array.from(PARAGRAPH.repeat(2)).slice(0, 300).join('').trimEnd()

const articles = 500
let sent = 0

/** A reader in 10.0.0.0/8: a network of their own, so each has room under the limit. */
const readerAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`

/** The widget's body and headers, with one reader in three leaving an email. */
function widgetReport({ url, quote, suggestion, comment }) {
  sent += 1
  return {
    headers: {
      origin: SITE,
      'idempotency-key': randomUUID(),
      'cf-connecting-ip': readerAddress(),
    },
    body: {
      url,
      quote,
      context_before: BEFORE,
      context_after: AFTER,
      suggestion,
      ...(comment ? { comment } : {}),
      kind: 'typo',
      title: 'City council approves the budget: libraries and night buses win, roads wait',
      lang: 'en',
      ...(sent % 3 === 0 ? { email: `reader-${sent}@example.org` } : {}),
      website: '',
    },
  }
}

/** The widget's report opening a new report: a quote no reader has sent on one of our articles. */
export const widgetNewReport = () =>
  reportRequest(() =>
    widgetReport({
      url: `${SITE}/2026/11/city-budget-${sent % articles}`,
      quote: `the council approved the budget late on Tuesday (${randomUUID()})`,
      suggestion: 'the council approved the budget early on Wednesday',
    }),
  )

/** The widget's report joining the open report on a viral typo, with the reader's own comment. */
export const widgetJoinReport = () =>
  reportRequest(() =>
    widgetReport({
      url: `${SITE}/2026/11/city-budget-viral`,
      quote: 'with eleven votes in favour and four agianst',
      suggestion: 'with eleven votes in favour and four against',
      comment: `Spotted this while reading on my phone, ${randomUUID()}.`,
    }),
  )
