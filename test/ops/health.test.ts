import { describe, expect, it } from 'vitest'
import { call, expectProblem } from '../helpers/http'

describe('GET /health', () => {
  it('answers ok when D1 answers', async () => {
    const response = await call('/health')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ ok: true })
  })

  it('answers 503 when D1 fails, without leaking the error', async () => {
    const broken = {
      prepare: () => {
        throw new Error('D1_ERROR: Network connection lost.')
      },
    } as unknown as D1Database
    const problem = await expectProblem(
      await call('/health', { env: { DB: broken } }),
      503,
      'internal',
    )
    expect(problem.detail).not.toContain('Network')
  })
})
