/** The CSV at the size of a large newsroom, in a file of its own: its rows slow every list. */
import { describe, expect, it } from 'vitest'
import { ADMIN, call, env } from '../helpers/http'

describe('GET /v1/admin/supporters.csv at scale', () => {
  it('streams 100 000 supporters, each once, in pages the platform allows', async () => {
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
       INSERT INTO supporters (id, email, name, status, amount, currency, since, lifetime_amount,
         created_at, updated_at)
       SELECT printf('spt_bulk%06d', i), printf('bulk-%06d@example.org', i), 'Bulk reader',
         'one_time', 500, 'eur', printf('2020-01-01T00:%02d:%02d.000Z', (i / 60) % 60, i % 60), 500,
         '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'
       FROM n`,
    ).run()
    // D1 allows 50 queries per invocation on the Workers Free plan: count what the export makes.
    let queries = 0
    const counting = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'prepare')
          return (sql: string) => {
            queries += 1
            return target.prepare(sql)
          }
        const value = Reflect.get(target, property)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const response = await call('/v1/admin/supporters.csv', {
      headers: { authorization: ADMIN },
      env: { DB: counting },
    })
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(queries).toBeGreaterThan(0)
    expect(queries).toBeLessThanOrEqual(50)
    const ids = text
      .split('\r\n')
      .map((line) => line.split(',', 1)[0]!)
      .filter((id) => id.startsWith('spt_bulk'))
    expect(ids).toHaveLength(100_000)
    expect(new Set(ids).size).toBe(100_000)
  })
})
