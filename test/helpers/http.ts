import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { expect } from 'vitest'
import { env as workerEnv } from 'cloudflare:workers'
import type { Env } from '../../src/env'
import worker from '../../src/index'
import type { RecordedRequest } from './fakes'

export type TestEnv = Env & Cloudflare.Env

export const env = workerEnv as TestEnv
export const ADMIN = `Bearer ${env.ADMIN_TOKEN}`
export const SITE = 'https://news.example'

export interface CallOptions {
  method?: string
  /** Sent as application/json. */
  json?: unknown
  body?: BodyInit
  headers?: Record<string, string>
  /** CF-Connecting-IP; a fresh random address unless given, so rate limits stay out of the way. */
  ip?: string
  /** Bindings to change for this request only (config is parsed per bindings object). */
  env?: Partial<TestEnv>
}

export function randomIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(3))
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`
}

/** One request through the Worker's own fetch handler, in workerd, against the real D1. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers)
  if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', options.ip ?? randomIp())
  let body = options.body
  if (options.json !== undefined) {
    body = JSON.stringify(options.json)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST')
  const request = new Request(new URL(path, 'https://api.news.example'), { method, headers, body })
  const ctx = createExecutionContext()
  const response = await worker.fetch(request, options.env ? { ...env, ...options.env } : env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

export async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const problem = (await response.json()) as {
    type: string
    title: string
    status: number
    detail: string
    code: string
    errors?: { path: string; message: string }[]
  }
  expect(problem.status).toBe(response.status)
  return problem
}

/** Asserts a problem+json answer with this status and code, and returns it. */
export async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  const problem = await problemOf(response)
  expect(problem.code).toBe(code)
  expect(JSON.stringify(problem)).not.toMatch(/at .*\.(ts|js):\d+|SQLITE|D1_ERROR/)
  return problem
}

export async function fakeRequests(): Promise<RecordedRequest[]> {
  return (await fetch(`${env.FAKE_SERVICES_URL}/__requests`)).json()
}

export async function clearFakeRequests(): Promise<void> {
  await fetch(`${env.FAKE_SERVICES_URL}/__requests`, { method: 'DELETE' })
}
