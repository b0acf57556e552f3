/**
 * `GET/POST /forget/{submission_id}?token=…`: the page a reader's email links to, where they
 * erase their address. GET only shows the page (mail scanners open links); the button posts
 * to the same address. Mounted by src/app.ts; an HTML page, so not in /openapi.json, like /admin.
 */
import { Hono, type Context } from 'hono'
import type { FC } from 'hono/jsx'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppEnv } from '../http/context'
import { sha256Hex } from '../http/crypto'
import { onError } from '../http/problem'
import { eraseSubmissionEmail } from '../reports/store'
import { findForgetSubmission } from './forget-store'
import { FORGET_TEXT } from './forget-text'
import { readerLanguage, type ReaderLanguage } from './language'

export const forget = new Hono<AppEnv>()

const CSS = [
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fafafa}',
  'main{max-width:560px;margin:0 auto;padding:32px 20px}',
  'h1{font-size:22px;margin:0 0 12px}',
  'p{margin:0 0 16px}',
  'button{font:inherit;padding:8px 16px;border:1px solid #1f5a94;border-radius:4px;background:#1f5a94;color:#fff;cursor:pointer}',
  'button:hover{background:#174574}',
  ':focus-visible{outline:2px solid #2f6fb0;outline-offset:2px}',
].join('\n')

let csp: string | null = null

/** No script at all; the one inline stylesheet is allowed by its hash; forms post here only. */
async function pageCsp(): Promise<string> {
  if (csp) return csp
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(CSS))
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)))
  csp = `default-src 'none'; style-src 'sha256-${hash}'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`
  return csp
}

interface PageProps {
  language: ReaderLanguage
  heading: string
  message: string
  /** Where the erase button posts; no button without it. */
  action?: string
  button?: string
}

const ForgetPage: FC<PageProps> = ({ language, heading, message, action, button }) => (
  <html lang={language}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{heading}</title>
      <link rel="icon" href="data:," />
      <style dangerouslySetInnerHTML={{ __html: CSS }} />
    </head>
    <body>
      <main>
        <h1>{heading}</h1>
        <p>{message}</p>
        {action && (
          <form method="post" action={action}>
            <button type="submit">{button}</button>
          </form>
        )}
      </main>
    </body>
  </html>
)

/** The token is in the address, so no referrer leaves, nothing is cached and nothing indexed. */
async function render(
  c: Context<AppEnv>,
  props: PageProps,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  return c.html(`<!doctype html>${String(await (<ForgetPage {...props} />))}`, status, {
    'Content-Security-Policy': await pageCsp(),
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Robots-Tag': 'noindex',
  })
}

/** An unknown id and a wrong token look the same, in the language the browser asks for. */
function notFound(c: Context<AppEnv>): Promise<Response> {
  const language = readerLanguage(c.req.header('accept-language'))
  const words = FORGET_TEXT[language]
  return render(c, { language, heading: words.notFoundTitle, message: words.notFound }, 404)
}

/** The submission the link opens, or `null`; its id and the hash of its token. */
async function submissionOf(c: Context<AppEnv>) {
  const id = c.req.param('id') ?? ''
  const tokenHash = await sha256Hex(c.req.query('token') ?? '')
  const found = await findForgetSubmission(c.env.DB, id, tokenHash)
  return found && { ...found, id, tokenHash, language: readerLanguage(found.lang) }
}

forget.get('/forget/:id', async (c) => {
  const submission = await submissionOf(c)
  if (!submission) return notFound(c)
  const { language } = submission
  const words = FORGET_TEXT[language]
  if (!submission.has_email)
    return render(c, { language, heading: words.doneTitle, message: words.gone })
  const action = `${new URL(c.req.url).pathname}?token=${encodeURIComponent(c.req.query('token') ?? '')}`
  return render(c, {
    language,
    heading: words.title,
    message: words.intro,
    action,
    button: words.button,
  })
})

// The body (a form's, or none) is not read: the address carries everything.
forget.post('/forget/:id', async (c) => {
  const submission = await submissionOf(c)
  if (!submission || !(await eraseSubmissionEmail(c.env.DB, submission.id, submission.tokenHash)))
    return notFound(c)
  const words = FORGET_TEXT[submission.language]
  return render(c, { language: submission.language, heading: words.doneTitle, message: words.done })
})

/** A failure is logged like the API's and shown as a page, since a person is reading. */
forget.onError(async (error, c) => {
  await onError(error, c)
  const language = readerLanguage(c.req.header('accept-language'))
  const words = FORGET_TEXT[language]
  return render(c, { language, heading: words.errorTitle, message: words.error }, 500)
})
