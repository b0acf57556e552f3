/**
 * Local stand-ins for the services the Worker calls over HTTP: Turnstile's siteverify and the
 * few Stripe endpoints. Runs in Node (vitest globalSetup) on 127.0.0.1; the Worker reaches it
 * through TURNSTILE_VERIFY_URL and STRIPE_API_BASE, and tests read what it received at
 * GET /__requests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { TURNSTILE_PASS, TURNSTILE_SECRET, type RecordedRequest } from './fakes.ts'


declare module 'vitest' {
  export interface ProvidedContext {
    fakeServicesUrl: string
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

async function siteverify(body: string, contentType: string, response: ServerResponse): Promise<void> {
  const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData()
  const passed = form.get('secret') === TURNSTILE_SECRET && form.get('response') === TURNSTILE_PASS
  json(response, 200, passed ? { success: true, hostname: 'news.example' } : { success: false, 'error-codes': ['invalid-input-response'] })
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)])),
      body,
    })
    if (url.pathname === '/turnstile/v0/siteverify' && request.method === 'POST') {
      return siteverify(body, request.headers['content-type'] ?? '', response)
    }
    json(response, 404, { error: { type: 'invalid_request_error', message: `No fake for ${url.pathname}` } })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  project.provide('fakeServicesUrl', `http://127.0.0.1:${port}`)
  return () => new Promise((resolve) => server.close(() => resolve()))
}
