import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/http/crypto'
import { reportInput } from '../helpers/factories'
import { call, env, expectProblem } from '../helpers/http'

interface Submission {
  id: string
  submission_id: string
  status_url: string
}

async function report(body: Record<string, unknown>): Promise<Submission> {
  const response = await call('/v1/reports', { json: body })
  expect(response.status).toBe(201)
  return response.json()
}

/** A token minted for an email, as the notifier stores it: only its hash. */
async function mintToken(submissionId: string): Promise<string> {
  const token = `email-token-${crypto.randomUUID()}`
  await env.DB.prepare(
    'INSERT INTO submission_tokens (token_hash, submission_id, created_at) VALUES (?, ?, ?)',
  )
    .bind(await sha256Hex(token), submissionId, new Date().toISOString())
    .run()
  return token
}

async function emailOf(submissionId: string): Promise<string | null> {
  const row = await env.DB.prepare('SELECT email FROM submissions WHERE id = ?')
    .bind(submissionId)
    .first<{ email: string | null }>()
  return row!.email
}

/** Two readers on one report, both with an email; the first gets a token minted for an email. */
async function twoReaders(lang = 'en') {
  const body = reportInput({ lang })
  const mine = await report({ ...body, email: 'me@example.org' })
  const theirs = await report({ ...body, email: 'them@example.org' })
  expect(theirs.id).toBe(mine.id)
  return { mine, theirs, token: await mintToken(mine.submission_id) }
}

const forgetPath = (submissionId: string, token: string) =>
  `/forget/${submissionId}?token=${encodeURIComponent(token)}`

function expectPageHeaders(response: Response): void {
  expect(response.headers.get('content-type')).toMatch(/^text\/html/)
  const csp = response.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("default-src 'none'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("form-action 'self'")
  expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+={0,2}'(;|$)/)
  expect(csp).not.toContain('script-src')
  expect(csp).not.toContain('unsafe')
  expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('x-robots-tag')).toBe('noindex')
}

/** The hash in the CSP is the hash of the page's one inline stylesheet. */
async function expectStyleAllowed(response: Response, html: string): Promise<void> {
  const css = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)),
  )
  const hash = btoa(String.fromCharCode(...digest))
  expect(response.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`)
}

describe('GET /forget/{id}: the page a reader’s email links to', () => {
  it('shows the button that posts to the same address, and erases nothing', async () => {
    const { mine, token } = await twoReaders()
    const path = forgetPath(mine.submission_id, token)
    const response = await call(path)
    expect(response.status).toBe(200)
    expectPageHeaders(response)
    const html = await response.text()
    await expectStyleAllowed(response, html)
    expect(html).toContain('<html lang="en">')
    expect(html).toContain(`<form method="post" action="${path}">`)
    expect(html).toMatch(/<button type="submit">Erase my email<\/button>/)
    expect(html).not.toContain('<script')
    expect(await emailOf(mine.submission_id)).toBe('me@example.org')
  })

  it('speaks the submission’s language', async () => {
    const spanish = await twoReaders('es-MX')
    const es = await (await call(forgetPath(spanish.mine.submission_id, spanish.token))).text()
    expect(es).toContain('<html lang="es">')
    expect(es).toContain('Borrar mi correo</button>')
    const ukrainian = await twoReaders('uk')
    const uk = await (await call(forgetPath(ukrainian.mine.submission_id, ukrainian.token))).text()
    expect(uk).toContain('<html lang="uk">')
    expect(uk).toContain('Стерти мій email</button>')
  })

  it('says the email is already gone, with no button, once it is erased', async () => {
    const { mine, token } = await twoReaders()
    await call(forgetPath(mine.submission_id, token), { method: 'POST' })
    const html = await (await call(forgetPath(mine.submission_id, token))).text()
    expect(html).toContain('no longer stored')
    expect(html).not.toContain('<form')
  })
})

describe('POST /forget/{id}: the reader erases their email', () => {
  it('erases this reader’s email only, and answers a page saying so', async () => {
    const { mine, theirs, token } = await twoReaders()
    const response = await call(forgetPath(mine.submission_id, token), {
      method: 'POST',
      body: new URLSearchParams(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(response.status).toBe(200)
    expectPageHeaders(response)
    expect(await response.text()).toContain('Your email is erased')
    expect(await emailOf(mine.submission_id)).toBeNull()
    expect(await emailOf(theirs.submission_id)).toBe('them@example.org')
  })

  it('answers the same page again when the email is already erased', async () => {
    const { mine, token } = await twoReaders()
    const path = forgetPath(mine.submission_id, token)
    expect((await call(path, { method: 'POST' })).status).toBe(200)
    const again = await call(path, { method: 'POST' })
    expect(again.status).toBe(200)
    expect(await again.text()).toContain('Your email is erased')
  })

  it('works with the token of the first status link too', async () => {
    const { mine, theirs } = await twoReaders()
    const token = new URL(mine.status_url).searchParams.get('token')!
    const response = await call(forgetPath(mine.submission_id, token), { method: 'POST' })
    expect(response.status).toBe(200)
    expect(await emailOf(mine.submission_id)).toBeNull()
    expect(await emailOf(theirs.submission_id)).toBe('them@example.org')
  })

  it('confirms in the submission’s language', async () => {
    const { mine, token } = await twoReaders('uk-UA')
    const html = await (
      await call(forgetPath(mine.submission_id, token), { method: 'POST' })
    ).text()
    expect(html).toContain('<html lang="uk">')
    expect(html).toContain('Ваш email стерто')
  })
})

describe('/forget/{id}: a wrong link', () => {
  it('answers the same 404 page to a wrong, missing or another reader’s token and an unknown id', async () => {
    const { mine, theirs, token } = await twoReaders()
    const theirToken = await mintToken(theirs.submission_id)
    const wrong = [
      forgetPath(mine.submission_id, 'wrong'),
      `/forget/${mine.submission_id}`,
      `/forget/${mine.submission_id}?token=`,
      forgetPath(mine.submission_id, theirToken),
      forgetPath('sub_unknown', token),
    ]
    const bodies = new Set<string>()
    for (const path of wrong) {
      for (const method of ['GET', 'POST']) {
        const response = await call(path, { method })
        expect(response.status, `${method} ${path}`).toBe(404)
        expectPageHeaders(response)
        const html = await response.text()
        expect(html).toContain('This link does not work')
        bodies.add(html)
      }
    }
    expect(bodies.size).toBe(1)
    expect(await emailOf(mine.submission_id)).toBe('me@example.org')
    expect(await emailOf(theirs.submission_id)).toBe('them@example.org')
  })

  it('answers in the language the browser asks for, since the link tells none', async () => {
    const response = await call('/forget/sub_unknown?token=x', {
      headers: { 'accept-language': 'es-ES,es;q=0.9,en;q=0.8' },
    })
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('Este enlace no funciona')
  })
})

describe('/v1/submissions/{id} with a token minted for an email', () => {
  it('shows the status and erases the email, like the first token', async () => {
    const { mine, theirs, token } = await twoReaders()
    const path = `/v1/submissions/${mine.submission_id}?token=${encodeURIComponent(token)}`
    const status = await call(path)
    expect(status.status).toBe(200)
    expect(await status.json()).toEqual({ status: 'new', correction: null })
    expect((await call(path, { method: 'DELETE' })).status).toBe(204)
    expect(await emailOf(mine.submission_id)).toBeNull()
    expect(await emailOf(theirs.submission_id)).toBe('them@example.org')
  })

  it('does not open another reader’s submission', async () => {
    const { theirs, token } = await twoReaders()
    const path = `/v1/submissions/${theirs.submission_id}?token=${encodeURIComponent(token)}`
    await expectProblem(await call(path), 404, 'not_found')
    await expectProblem(await call(path, { method: 'DELETE' }), 404, 'not_found')
    expect(await emailOf(theirs.submission_id)).toBe('them@example.org')
  })
})
