/**
 * The public corrections log's HTML: one inline stylesheet (allowed by its hash, no script),
 * the figures of the last 12 months, and a page of corrections. Pure rendering; the route and
 * its SQL are in log-routes.tsx and log-store.ts.
 */
import type { FC } from 'hono/jsx'
import { READER_LANGUAGES, type ReaderLanguage } from '../notify/language'
import type { LogFigures, LogRow } from './log-store'
import { LOG_TEXT } from './log-text'

export const LOG_CSS = [
  'body{margin:0;font:17px/1.55 Georgia,"Iowan Old Style","Times New Roman",serif;color:#1d1d1f;background:#fdfdfb}',
  'header,main{max-width:720px;margin:0 auto;padding:0 20px}',
  'header{padding-top:16px;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}',
  'header ul{list-style:none;margin:0;padding:0;display:flex;gap:16px;justify-content:flex-end}',
  'a{color:#1f4f82}a:hover{color:#123456}',
  '[aria-current]{font-weight:700;color:#1d1d1f;text-decoration:none}',
  'h1{font-size:34px;line-height:1.2;margin:24px 0 8px}',
  'h2{font:600 15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;text-transform:uppercase;letter-spacing:.06em;color:#4a4a4f;margin:32px 0 12px}',
  '.intro{color:#3a3a3f;margin:0 0 8px}',
  '.median{font-size:19px;margin:0 0 16px}',
  'table{border-collapse:collapse;width:100%;max-width:360px;font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}',
  'caption{text-align:left;color:#4a4a4f;padding-bottom:6px}',
  'th,td{padding:4px 8px;border-bottom:1px solid #e2e2dd;text-align:left}',
  'td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}',
  'ol{list-style:none;margin:0;padding:0}',
  'ol>li{padding:16px 0;border-bottom:1px solid #e2e2dd}',
  'h3{font-size:20px;line-height:1.3;margin:0 0 4px;overflow-wrap:anywhere}',
  '.meta{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:#4a4a4f;margin:0 0 6px}',
  '.kind{font-weight:600;color:#7a2e0e}',
  '.text{margin:0;white-space:pre-line;overflow-wrap:anywhere}',
  '.pages{display:flex;justify-content:space-between;padding:24px 0 48px;font:16px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif}',
  ':focus-visible{outline:2px solid #2f6fb0;outline-offset:2px}',
  '@media (max-width:480px){body{font-size:16px}h1{font-size:28px}h3{font-size:18px}}',
].join('\n')

let csp: string | null = null

/** No script at all; the one inline stylesheet is allowed by its hash; no form, no frame. */
export async function logCsp(): Promise<string> {
  if (csp) return csp
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(LOG_CSS))
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
  csp = `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`
  return csp
}

const LANGUAGE_NAMES: Record<ReaderLanguage, string> = {
  en: 'English',
  es: 'Español',
  uk: 'Українська',
}

/** The `YYYY-MM` of this month and the 11 before it, newest first. */
export function lastTwelveMonths(now: Date): string[] {
  return Array.from({ length: 12 }, (_, back) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7),
  )
}

const monthName = (language: ReaderLanguage, month: string) =>
  new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T00:00:00Z`),
  )

const dateOf = (language: ReaderLanguage, at: string) =>
  new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(at))

/** A delay in the unit a reader thinks in: minutes under an hour, hours under two days, days. */
export function formatDelay(language: ReaderLanguage, seconds: number): string {
  const [value, unit] =
    seconds < 3600
      ? [seconds / 60, 'minute']
      : seconds < 172800
        ? [seconds / 3600, 'hour']
        : [seconds / 86400, 'day']
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: unit === 'day' ? 1 : 0,
  }).format(value)
}

interface ShellProps {
  language: ReaderLanguage
  title: string
  children?: unknown
}

const Shell: FC<ShellProps> = ({ language, title, children }) => (
  <html lang={language}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <link rel="icon" href="data:," />
      <style dangerouslySetInnerHTML={{ __html: LOG_CSS }} />
    </head>
    <body>
      <header>
        <nav aria-label={LOG_TEXT[language].languages}>
          <ul>
            {READER_LANGUAGES.map((other) => (
              <li>
                <a
                  href={`?lang=${other}`}
                  lang={other}
                  hreflang={other}
                  aria-current={other === language ? 'page' : undefined}
                >
                  {LANGUAGE_NAMES[other]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main>{children}</main>
    </body>
  </html>
)

/** A page that only says something: a broken link, a failure. */
export const MessagePage: FC<{ language: ReaderLanguage; heading: string; message: string }> = ({
  language,
  heading,
  message,
}) => (
  <Shell language={language} title={heading}>
    <h1>{heading}</h1>
    <p class="intro">{message}</p>
    <p>
      <a href={`?lang=${language}`}>{LOG_TEXT[language].first}</a>
    </p>
  </Shell>
)

const Figures: FC<{ language: ReaderLanguage; figures: LogFigures; months: string[] }> = ({
  language,
  figures,
  months,
}) => {
  const words = LOG_TEXT[language]
  const median =
    figures.medianSeconds === null ? words.medianNone : formatDelay(language, figures.medianSeconds)
  return (
    <section aria-labelledby="summary">
      <h2 id="summary">{words.summary}</h2>
      <p class="median">
        {words.median}: <strong>{median}</strong>
      </p>
      <table>
        <caption>{words.perMonth}</caption>
        <thead>
          <tr>
            <th scope="col">{words.month}</th>
            <th scope="col" class="n">
              {words.count}
            </th>
          </tr>
        </thead>
        <tbody>
          {months.map((month) => (
            <tr>
              <th scope="row">
                <time datetime={month}>{monthName(language, month)}</time>
              </th>
              <td class="n">{figures.perMonth.get(month) ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The article's link text: the editor's title, else its URL, never a title a reader typed. */
const Entry: FC<{ language: ReaderLanguage; row: LogRow }> = ({ language, row }) => (
  <li>
    <article>
      <h3>
        {/^https?:\/\//i.test(row.url) ? (
          <a href={row.url}>{row.article_title ?? row.url}</a>
        ) : (
          (row.article_title ?? row.url)
        )}
      </h3>
      <p class="meta">
        <span class="kind">{LOG_TEXT[language].kinds[row.kind]}</span> ·{' '}
        <time datetime={row.published_at}>{dateOf(language, row.published_at)}</time>
      </p>
      <p class="text">{row.text}</p>
    </article>
  </li>
)

export interface LogPageProps {
  language: ReaderLanguage
  rows: LogRow[]
  /** The next page's address; none on the last page. */
  next: string | null
  /** The figures, shown on the first page only; with the months they cover. */
  figures: { figures: LogFigures; months: string[] } | null
  /** Whether this is a later page, which links back to the first. */
  paged: boolean
}

export const LogPage: FC<LogPageProps> = ({ language, rows, next, figures, paged }) => {
  const words = LOG_TEXT[language]
  return (
    <Shell language={language} title={words.title}>
      <h1>{words.title}</h1>
      <p class="intro">{words.intro}</p>
      {figures && <Figures language={language} {...figures} />}
      <section aria-labelledby="list">
        <h2 id="list">{words.list}</h2>
        {rows.length === 0 ? (
          <p>{words.empty}</p>
        ) : (
          <ol>
            {rows.map((row) => (
              <Entry language={language} row={row} />
            ))}
          </ol>
        )}
      </section>
      <nav class="pages" aria-label={words.list}>
        {paged ? <a href={`?lang=${language}`}>{words.first}</a> : <span />}
        {next && (
          <a rel="next" href={next}>
            {words.next}
          </a>
        )}
      </nav>
    </Shell>
  )
}
