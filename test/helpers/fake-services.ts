/**
 * Local stand-ins for the services the Worker calls over HTTP: Turnstile's siteverify and the
 * few Stripe endpoints. Runs in Node (vitest globalSetup) on 127.0.0.1, one server per service
 * so that test files running side by side never see each other's calls; the Worker reaches
 * them through TURNSTILE_VERIFY_URL and STRIPE_API_BASE, and tests read what each received at
 * its GET /__requests (DELETE clears it).
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import {
  STRIPE_REFUSED_EMAIL,
  STRIPE_SECRET_KEY,
  TURNSTILE_PASS,
  TURNSTILE_SECRET,
  type RecordedRequest,
} from './fakes.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    fakeServicesUrl: string
    fakeStripeUrl: string
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

/** Starts the stand-ins: Turnstile's siteverify and the Stripe API, each on its own port. */
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
  return {
    turnstileUrl: turnstile.url,
    stripeUrl: stripe.url,
    close: async () => {
      await Promise.all([turnstile.close(), stripe.close()])
    },
  }
}

/** vitest globalSetup: the stand-ins for the whole run, their addresses provided to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fakes = await startFakeServices()
  project.provide('fakeServicesUrl', fakes.turnstileUrl)
  project.provide('fakeStripeUrl', fakes.stripeUrl)
  return fakes.close
}
