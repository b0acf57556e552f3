import { expect } from 'vitest'
import { reportInput } from './factories'
import { ADMIN, call, type CallOptions } from './http'

/** A request as the bootstrap admin, or as the holder of `token`. */
export function asEditor(
  path: string,
  options: CallOptions = {},
  token?: string,
): Promise<Response> {
  return call(path, {
    ...options,
    headers: { authorization: token ? `Bearer ${token}` : ADMIN, ...options.headers },
  })
}

let editors = 0

export async function createEditor(role: 'editor' | 'admin' = 'editor', name?: string) {
  editors += 1
  const response = await asEditor('/v1/admin/editors', {
    json: { name: name ?? `Editor ${editors}`, email: `editor${editors}@news.example`, role },
  })
  expect(response.status).toBe(201)
  return (await response.json()) as {
    id: string
    name: string
    email: string
    role: string
    token: string
  }
}

/** A report from a reader, returning its id. */
export async function newReport(overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await call('/v1/reports', { json: reportInput(overrides) })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

export interface Detail {
  id: string
  status: string
  assignee: string | null
  duplicate_of: string | null
  correction_id: string | null
  submissions: number
  updated_at: string
  events: {
    at: string
    actor: string
    action: string
    from: string | null
    to: string | null
    note: string | null
  }[]
  submission_list: unknown[]
}

export async function patchReport(
  id: string,
  body: unknown,
  options: { token?: string; ifMatch?: string } = {},
) {
  return asEditor(
    `/v1/admin/reports/${id}`,
    {
      method: 'PATCH',
      json: body,
      headers: options.ifMatch ? { 'if-match': options.ifMatch } : {},
    },
    options.token,
  )
}

/** Moves a report through the workflow to `status` by the shortest allowed path. */
export async function moveTo(id: string, status: string): Promise<void> {
  const paths: Record<string, string[]> = {
    new: [],
    triaged: ['triaged'],
    accepted: ['triaged', 'accepted'],
    fixed: ['triaged', 'accepted', 'fixed'],
    rejected: ['rejected'],
    spam: ['spam'],
  }
  for (const step of paths[status] ?? []) {
    const response = await patchReport(id, { status: step })
    expect(response.status).toBe(200)
  }
}

export async function detailOf(id: string, token?: string) {
  const response = await asEditor(`/v1/admin/reports/${id}`, {}, token)
  expect(response.status).toBe(200)
  return { etag: response.headers.get('etag') ?? '', body: (await response.json()) as Detail }
}
