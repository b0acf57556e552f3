/** The frame of every page of the web app, and the small pieces its pages share. */
import type { Context } from 'hono'
import type { Child, FC, PropsWithChildren } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Actor, AppEnv } from '../http/context'

export { money } from '../http/money'

/** No script but /admin/app.js, no style but /admin/app.css, forms posted here only. */
export const APP_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

type NavKey = 'reports' | 'stats' | 'supporters' | 'payments' | 'tiers' | 'editors' | 'goal'

const NAV: { key: NavKey; label: string; href: string; admin: boolean }[] = [
  { key: 'reports', label: 'Reports', href: '/admin', admin: false },
  { key: 'stats', label: 'Stats', href: '/admin/stats', admin: false },
  { key: 'supporters', label: 'Supporters', href: '/admin/supporters', admin: true },
  { key: 'payments', label: 'Payments', href: '/admin/payments', admin: true },
  { key: 'tiers', label: 'Tiers', href: '/admin/tiers', admin: true },
  { key: 'editors', label: 'Editors', href: '/admin/editors', admin: true },
  { key: 'goal', label: 'Goal', href: '/admin/goal', admin: true },
]

interface PageProps {
  title: string
  actor: Actor | null
  current?: NavKey
}

export const Page: FC<PropsWithChildren<PageProps>> = ({ title, actor, current, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · readerdesk`}</title>
      <link rel="stylesheet" href="/admin/app.css" />
      <link rel="icon" href="data:," />
      <script src="/admin/app.js" defer></script>
    </head>
    <body>
      <header class="bar">
        <a class="brand" href="/admin">
          readerdesk
        </a>
        {actor && (
          <nav aria-label="Main">
            <ul>
              {NAV.filter((item) => !item.admin || actor.role === 'admin').map((item) => (
                <li>
                  <a href={item.href} aria-current={item.key === current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {actor && (
          <form class="who" method="post" action="/admin/sign-out">
            <span>
              {actor.name} <span class="small">({actor.role})</span>
            </span>
            <button type="submit">Sign out</button>
          </form>
        )}
      </header>
      <main id="main">{children}</main>
    </body>
  </html>
)

/** Renders a page under the web app's CSP. */
export async function render(
  c: Context<AppEnv>,
  page: Child,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = `<!doctype html>${String(await page)}`
  // `same-origin`: its own forms carry their Origin (under `no-referrer` they say `null`),
  // and no address of the desk leaves for another site.
  return c.html(html, status, {
    'Content-Security-Policy': APP_CSP,
    'Referrer-Policy': 'same-origin',
  })
}

export const Alert: FC<{ message: string | null | undefined }> = ({ message }) =>
  message ? (
    <div class="alert" role="alert">
      {message}
    </div>
  ) : null

export const Notice: FC<{ message: string | null | undefined }> = ({ message }) =>
  message ? (
    <div class="notice" role="status">
      {message}
    </div>
  ) : null

export const Badge: FC<{ value: string }> = ({ value }) => (
  <span class={`badge s-${value}`}>{value.replace('_', ' ')}</span>
)

/** `2026-11-03 14:05 UTC`: one zone for the whole desk, whoever reads it. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—'
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

/** A select whose options are `values`, one of them chosen. */
export const Select: FC<{
  id: string
  name: string
  values: readonly (readonly [string, string])[]
  selected: string | null | undefined
}> = ({ id, name, values, selected }) => (
  <select id={id} name={name}>
    {values.map(([value, label]) => (
      <option value={value} selected={value === (selected ?? '')}>
        {label}
      </option>
    ))}
  </select>
)

/** Options whose label is their value. */
export const pairs = (values: readonly string[]) => values.map((value) => [value, value] as const)

/** The link to the next page of a list, when there is one. */
export const NextPage: FC<{ href: string | null }> = ({ href }) =>
  href ? (
    <p class="pager">
      <a class="button secondary" href={href}>
        Next page
      </a>
    </p>
  ) : null
