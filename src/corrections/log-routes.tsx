/**
 * `GET /corrections`: the newsroom's public corrections log, a page a site can link from its
 * footer. Newest first, paged with `?cursor=`, `?lang=en|es|uk` (else the browser's language,
 * else English). Mounted by src/app.ts; an HTML page, so not in /openapi.json, like /forget.
 */
import { z } from '@hono/zod-openapi'
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../http/context'
import { keyset } from '../http/paging'
import { ApiError, onError } from '../http/problem'
import { READER_LANGUAGES, readerLanguage, type ReaderLanguage } from '../notify/language'
import { lastTwelveMonths, LogPage, logCsp, MessagePage } from './log-page'
import { correctionsLogFigures, correctionsLogPage, type LogRow } from './log-store'
import { LOG_TEXT } from './log-text'

export const correctionsLog = new Hono<AppEnv>()

const PAGE_SIZE = 20

const pages = keyset(
  'corrections-log:published_at-desc',
  z.tuple([z.string(), z.string()]),
  (row: LogRow) => [row.published_at, row.id] as [string, string],
)

/** `?lang=` when it names one of ours, else the browser's first language, else English. */
function languageOf(c: Context<AppEnv>): ReaderLanguage {
  const asked = c.req.query('lang')
  return (
    READER_LANGUAGES.find((language) => language === asked) ??
    readerLanguage(c.req.header('accept-language'))
  )
}

/**
 * Public and briefly cacheable (a new correction shows within a minute); the language may
 * come from Accept-Language, so caches keep one copy per language asked. Links to articles
 * tell them the visit came from this origin, no more.
 */
async function render(
  c: Context<AppEnv>,
  language: ReaderLanguage,
  page: ReturnType<typeof LogPage>,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  return c.html(`<!doctype html>${String(await page)}`, status, {
    'Content-Security-Policy': await logCsp(),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Cache-Control': status === 200 ? 'public, max-age=60' : 'no-store',
    'Content-Language': language,
    Vary: 'Accept-Language',
  })
}

/** The keyset position of `?cursor=`, or `undefined` when it is not one this page issued. */
function positionOf(cursor: string | undefined): readonly [string, string] | null | undefined {
  if (cursor !== undefined && cursor.length > 1024) return undefined
  try {
    return pages.after(cursor || undefined)
  } catch (error) {
    if (error instanceof ApiError) return undefined
    throw error
  }
}

correctionsLog.get('/corrections', async (c) => {
  const language = languageOf(c)
  const words = LOG_TEXT[language]
  const cursor = c.req.query('cursor')
  const after = positionOf(cursor)
  if (after === undefined) {
    const page = (
      <MessagePage language={language} heading={words.badCursorTitle} message={words.badCursor} />
    )
    return render(c, language, page, 400)
  }
  const months = lastTwelveMonths(new Date())
  const [rows, figures] = await Promise.all([
    correctionsLogPage(c.env.DB, after, PAGE_SIZE + 1),
    after ? null : correctionsLogFigures(c.env.DB, `${months.at(-1)!}-01T00:00:00.000Z`),
  ])
  const { items, next_cursor } = pages.page(rows, PAGE_SIZE)
  const next = next_cursor && `?cursor=${encodeURIComponent(next_cursor)}&lang=${language}`
  const page = (
    <LogPage
      language={language}
      rows={items}
      next={next}
      figures={figures && { figures, months }}
      paged={after !== null}
    />
  )
  return render(c, language, page)
})

/** A failure is logged like the API's and shown as a page, since a person is reading. */
correctionsLog.onError(async (error, c) => {
  await onError(error, c)
  const language = languageOf(c)
  const words = LOG_TEXT[language]
  const page = <MessagePage language={language} heading={words.errorTitle} message={words.error} />
  return render(c, language, page, 500)
})
