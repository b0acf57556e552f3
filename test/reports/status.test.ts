import { describe, expect, it } from 'vitest'
import { reportInput } from '../helpers/factories'
import { moveTo } from '../helpers/editors'
import { call, expectProblem } from '../helpers/http'

async function report(body = reportInput()) {
  const response = await call('/v1/reports', { json: body })
  expect(response.status).toBe(201)
  return (await response.json()) as { id: string; submission_id: string; status_url: string }
}

const pathOf = (statusUrl: string) => {
  const url = new URL(statusUrl)
  return url.pathname + url.search
}

describe('GET /v1/submissions/{id}?token=: the reader follows the report', () => {
  it('shows the report status with no correction yet', async () => {
    const { status_url } = await report()
    const response = await call(pathOf(status_url))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'new', correction: null })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('follows the report as editors move it', async () => {
    const { id, status_url } = await report()
    await moveTo(id, 'triaged')
    expect(await (await call(pathOf(status_url))).json()).toEqual({
      status: 'triaged',
      correction: null,
    })
  })

  it('answers 404 to a wrong token, an unknown id and another reader’s token', async () => {
    const mine = await report()
    const theirs = await report()
    const { pathname } = new URL(mine.status_url)
    await expectProblem(await call(`${pathname}?token=wrong`), 404, 'not_found')
    await expectProblem(
      await call(
        `/v1/submissions/sub_unknown?token=${new URL(mine.status_url).searchParams.get('token')}`,
      ),
      404,
      'not_found',
    )
    await expectProblem(
      await call(`${pathname}?token=${new URL(theirs.status_url).searchParams.get('token')}`),
      404,
      'not_found',
    )
  })

  it('answers 400 without a token', async () => {
    const { status_url } = await report()
    await expectProblem(await call(new URL(status_url).pathname), 400, 'validation_failed')
  })

  it('shows a honeypot submission as new, like a real one', async () => {
    const { status_url } = await report(reportInput({ website: 'bot' }))
    expect(await (await call(pathOf(status_url))).json()).toEqual({
      status: 'new',
      correction: null,
    })
  })
})
