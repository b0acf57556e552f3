/**
 * Local stand-ins for the services the Worker calls over HTTP: Turnstile's siteverify, the few
 * Stripe endpoints and webhook endpoints. Runs in Node (vitest globalSetup) on 127.0.0.1, one
 * server per service so that test files running side by side never see each other's calls; the
 * Worker reaches them through TURNSTILE_VERIFY_URL and STRIPE_API_BASE, and tests read what each
 * received at its GET /__requests (DELETE clears it). Webhook endpoints are kept apart by name
 * instead (see hooksServer).
 */
import { randomBytes } from 'node:crypto'
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import {
  STRIPE_REFUSED_EMAIL,
  STRIPE_SECRET_KEY,
  slackHookName,
  TURNSTILE_PASS,
  TURNSTILE_SECRET,
  type HookRequest,
  type HookScript,
  type RecordedRequest,
} from './fakes.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    fakeServicesUrl: string
    fakeStripeUrl: string
    fakeHooksUrl: string
  }
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json' })
  response.end(JSON.stringify(body))
}

async function siteverify(
  body: string,
  contentType: string,
  response: ServerResponse,
): Promise<void> {
  const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData()
  const passed = form.get('secret') === TURNSTILE_SECRET && form.get('response') === TURNSTILE_PASS
  json(
    response,
    200,
    passed
      ? { success: true, hostname: 'news.example' }
      : { success: false, 'error-codes': ['invalid-input-response'] },
  )
}

function stripeError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
): void {
  json(response, status, { error: { type, message } })
}

/** Nested form fields under `prefix[...]`, one level deep, as Stripe reads metadata. */
function formObject(form: URLSearchParams, prefix: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const [name, value] of form) {
    const key =
      name.startsWith(`${prefix}[`) && name.endsWith(']') ? name.slice(prefix.length + 1, -1) : ''
    if (key && !key.includes('[')) fields[key] = value
  }
  return fields
}

/**
 * POST /v1/checkout/sessions as Stripe answers it in API version 2026-10-28.endive: form-encoded
 * parameters in, a Checkout Session out. Like Stripe, the same Idempotency-Key gets the same
 * session back; a wrong key gets 401 and STRIPE_REFUSED_EMAIL gets a 400 invalid_request_error.
 */
function checkoutSessions(
  request: IncomingMessage,
  body: string,
  response: ServerResponse,
  sessions: Map<string, unknown>,
): void {
  if (request.headers.authorization !== `Bearer ${STRIPE_SECRET_KEY}`) {
    return stripeError(response, 401, 'invalid_request_error', 'Invalid API Key provided.')
  }
  const form = new URLSearchParams(body)
  if (form.get('customer_email') === STRIPE_REFUSED_EMAIL) {
    return stripeError(
      response,
      400,
      'invalid_request_error',
      'Invalid email address: refused-by-stripe@example.org',
    )
  }
  const key = String(request.headers['idempotency-key'] ?? '')
  const known = key ? sessions.get(key) : undefined
  if (known) return json(response, 200, known)
  const id = `cs_test_${randomBytes(24).toString('base64url')}`
  const created = Math.floor(Date.now() / 1000)
  const unitAmount = Number(form.get('line_items[0][price_data][unit_amount]'))
  const quantity = Number(form.get('line_items[0][quantity]') ?? 1)
  const session = {
    id,
    object: 'checkout.session',
    amount_subtotal: unitAmount * quantity,
    amount_total: unitAmount * quantity,
    cancel_url: form.get('cancel_url'),
    client_reference_id: null,
    created,
    currency: form.get('line_items[0][price_data][currency]'),
    customer: null,
    customer_creation: form.get('customer_creation'),
    customer_details: null,
    customer_email: form.get('customer_email'),
    expires_at: created + 24 * 3600,
    invoice: null,
    livemode: false,
    metadata: formObject(form, 'metadata'),
    mode: form.get('mode'),
    payment_intent: null,
    payment_status: 'unpaid',
    status: 'open',
    submit_type: form.get('submit_type'),
    subscription: null,
    success_url: form.get('success_url'),
    ui_mode: 'hosted',
    url: `https://checkout.stripe.com/c/pay/${id}#fidkdWxOYHwnPyd1blpxYHZxWjA0`,
  }
  if (key) sessions.set(key, session)
  json(response, 200, session)
}

type Route = (request: IncomingMessage, url: URL, body: string, response: ServerResponse) => unknown

/** A server on a free local port that records every request before `route` answers it. */
async function recordingServer(route: Route) {
  const received: RecordedRequest[] = []
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const body = await read(request)
    if (url.pathname === '/__requests') {
      if (request.method === 'DELETE') received.length = 0
      return json(response, 200, received)
    }
    received.push({
      method: request.method ?? 'GET',
      path: url.pathname + url.search,
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
      ),
      body,
    })
    await route(request, url, body, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function noFake(url: URL, response: ServerResponse): void {
  json(response, 404, {
    error: { type: 'invalid_request_error', message: `No fake for ${url.pathname}` },
  })
}

interface Hook {
  script: HookScript
  calls: number
  received: HookRequest[]
}

/**
 * Webhook endpoints, one per name, that record what they receive and answer as the test
 * scripted: `POST /hooks/<name>` is a delivery; `PUT /hooks/<name>/script` sets
 * `{ "responses": [500, 200], "delay_ms": 12000 }` (one status per call, the last repeating;
 * 200 by default); `GET /hooks/<name>/requests` lists the deliveries; `DELETE /hooks/<name>`
 * forgets the name. Any other method on `/hooks/<name>` is recorded and answered like a POST.
 */
async function hooksServer() {
  const hooks = new Map<string, Hook>()
  const hook = (name: string): Hook => {
    let known = hooks.get(name)
    if (!known) hooks.set(name, (known = { script: {}, calls: 0, received: [] }))
    return known
  }
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const [, prefix, name, action] = url.pathname.split('/')
    const body = await read(request)
    if (prefix !== 'hooks' || !name || !/^[\w.-]+$/.test(name)) {
      return json(response, 404, { error: `No fake for ${url.pathname}` })
    }
    const route = `${request.method} ${action ?? ''}`
    if (route === 'PUT script') {
      try {
        hook(name).script = JSON.parse(body) as HookScript
      } catch {
        return json(response, 400, { error: 'The script must be JSON.' })
      }
      return json(response, 200, hook(name).script)
    }
    if (route === 'GET requests') return json(response, 200, hook(name).received)
    if (route === 'DELETE ') {
      hooks.delete(name)
      return json(response, 200, {})
    }
    if (action !== undefined) return json(response, 404, { error: `No fake for ${route}` })
    const state = hook(name)
    state.received.push({
      method: request.method ?? 'POST',
      headers: Object.fromEntries(
        Object.entries(request.headers).map(([header, value]) => [header, String(value)]),
      ),
      body,
      at: new Date().toISOString(),
    })
    const responses = state.script.responses ?? []
    const status = responses[Math.min(state.calls++, responses.length - 1)] ?? 200
    const delay = state.script.delay_ms ?? 0
    if (delay > 0) {
      // A caller that gave up has closed the connection: stop waiting for it.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay)
        response.on('close', () => {
          clearTimeout(timer)
          resolve()
        })
      })
      if (response.destroyed) return
    }
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    // Back to this endpoint: a client that followed the redirect would show up in its requests.
    if (status >= 300 && status < 400) headers.Location = `/hooks/${name}`
    response.writeHead(status, headers)
    response.end(JSON.stringify({ received: true, status }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Starts the stand-ins: Turnstile's siteverify, the Stripe API and webhook endpoints. */
export async function startFakeServices() {
  const turnstile = await recordingServer((request, url, body, response) => {
    if (url.pathname === '/turnstile/v0/siteverify' && request.method === 'POST') {
      return siteverify(body, request.headers['content-type'] ?? '', response)
    }
    noFake(url, response)
  })
  const sessions = new Map<string, unknown>()
  const stripe = await recordingServer((request, url, body, response) => {
    if (url.pathname === '/v1/checkout/sessions' && request.method === 'POST') {
      return checkoutSessions(request, body, response, sessions)
    }
    noFake(url, response)
  })
  const hooks = await hooksServer()
  return {
    turnstileUrl: turnstile.url,
    stripeUrl: stripe.url,
    hooksUrl: hooks.url,
    close: async () => {
      await Promise.all([turnstile.close(), stripe.close(), hooks.close()])
    },
  }
}

/**
 * The worker project's outbound service (Miniflare's `outboundService`, a Node handler): every
 * request the Worker sends passes through it. Tests cannot reach hooks.slack.com, so a Slack
 * incoming webhook goes to the fake receiver at `/hooks/<slackHookName(url)>`; everything else
 * goes on, unchanged, to the host it names. The handler sees the host and path but not the
 * scheme, so it forwards over plain HTTP, which is all the local stand-ins speak. A target that
 * cannot be reached closes the connection, which the Worker sees as the network error it is.
 */
export function outboundToFakes(hooksUrl: string) {
  return {
    node(request: IncomingMessage, response: ServerResponse): void {
      const host = request.headers.host ?? ''
      const path = request.url ?? '/'
      const target =
        host === 'hooks.slack.com'
          ? new URL(`/hooks/${slackHookName(`https://${host}${path}`)}`, hooksUrl)
          : new URL(path, `http://${host}`)
      const headers: Record<string, string | string[] | undefined> = {
        ...request.headers,
        host: target.host,
      }
      delete headers['mf-custom-node-service']
      const upstream = forward(target, { method: request.method, headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
        answer.pipe(response)
      })
      upstream.on('error', () => response.destroy())
      response.on('close', () => upstream.destroy())
      request.pipe(upstream)
    },
  }
}

/** vitest globalSetup: the stand-ins for the whole run, their addresses provided to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fakes = await startFakeServices()
  project.provide('fakeServicesUrl', fakes.turnstileUrl)
  project.provide('fakeStripeUrl', fakes.stripeUrl)
  project.provide('fakeHooksUrl', fakes.hooksUrl)
  return fakes.close
}
