import { createScheduledController } from 'cloudflare:test'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { ADMIN, call, env, expectProblem, SITE } from '../helpers/http'
import { createEditor } from '../helpers/editors'
import { charge, delivered, stripeEvent, stripeId } from '../helpers/stripe'
import {
  adminGet,
  giver,
  subscriber,
  type PaymentItem,
  type SupporterItem,
} from '../helpers/supporters'

interface Page<T> {
  items: T[]
  next_cursor: string | null
}

/** Readers who become supporters one after another, the last the newest. */
async function supporters(n: number, name = 'Reader'): Promise<string[]> {
  const emails: string[] = []
  for (let i = 0; i < n; i++) {
    const reader = subscriber({ name: `${name} ${i}` })
    await delivered(reader.completed())
    await delivered(reader.state('created', 'active'))
    emails.push(reader.email)
  }
  return emails
}

async function allPages<T>(path: string, limit: number): Promise<T[]> {
  const seen: T[] = []
  let cursor: string | null = null
  do {
    const page: Page<T> = await adminGet(
      `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    )
    expect(page.items.length).toBeLessThanOrEqual(limit)
    seen.push(...page.items)
    cursor = page.next_cursor
  } while (cursor)
  return seen
}

/** Parses RFC 4180 CSV, for checking what a spreadsheet would read. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (char === '"') quoted = false
      else cell += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      row.push(cell)
      cell = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += char
  }
  return rows
}

describe('GET /v1/admin/supporters', () => {
  it('lists newest first and pages through every supporter once', async () => {
    const emails = await supporters(5)
    const seen = (await allPages<SupporterItem>('/v1/admin/supporters', 2)).map(
      (item) => item.email,
    )
    const ours = seen.filter((email) => emails.includes(email))
    expect(ours).toEqual([...emails].reverse())
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('pages stably while new supporters arrive', async () => {
    const before = await supporters(3)
    const first: Page<SupporterItem> = await adminGet('/v1/admin/supporters?limit=1')
    const arrived = await supporters(2)
    const rest: string[] = []
    let cursor = first.next_cursor
    while (cursor) {
      const page: Page<SupporterItem> = await adminGet(
        `/v1/admin/supporters?limit=2&cursor=${cursor}`,
      )
      rest.push(...page.items.map((item) => item.email))
      cursor = page.next_cursor
    }
    const seen = [...first.items.map((item) => item.email), ...rest]
    expect(new Set(seen).size).toBe(seen.length)
    for (const email of before) expect(seen).toContain(email)
    for (const email of arrived) expect(seen).not.toContain(email)
  })

  it('filters by status and by text in the email or name, case-insensitively', async () => {
    const lapsed = subscriber({ name: 'Zebulon Quartermaine' })
    await delivered(lapsed.completed())
    await delivered(lapsed.state('created', 'active'))
    await delivered(lapsed.state('deleted', 'canceled'))
    const gift = giver({ name: 'Quincy Gift' })
    await delivered(gift.completed())
    const canceled: Page<SupporterItem> = await adminGet(
      '/v1/admin/supporters?status=canceled&limit=100',
    )
    expect(canceled.items.every((item) => item.status === 'canceled')).toBe(true)
    expect(canceled.items.map((item) => item.email)).toContain(lapsed.email)
    const byName: Page<SupporterItem> = await adminGet('/v1/admin/supporters?q=QUARTERMAINE')
    expect(byName.items.map((item) => item.email)).toEqual([lapsed.email])
    const byEmail: Page<SupporterItem> = await adminGet(
      `/v1/admin/supporters?q=${encodeURIComponent(gift.email.toUpperCase())}`,
    )
    expect(byEmail.items.map((item) => item.email)).toEqual([gift.email])
    const both: Page<SupporterItem> = await adminGet(
      '/v1/admin/supporters?status=one_time,canceled&q=qu',
    )
    expect(both.items.map((item) => item.email).sort()).toEqual([lapsed.email, gift.email].sort())
  })

  it('never lists someone who is not (yet) a supporter', async () => {
    const pending = giver()
    await delivered(pending.completedUnpaid())
    const everyone = await allPages<SupporterItem>('/v1/admin/supporters', 100)
    expect(everyone.map((item) => item.email)).not.toContain(pending.email)
    expect(
      everyone.every((item) =>
        ['active', 'past_due', 'canceled', 'one_time'].includes(item.status),
      ),
    ).toBe(true)
  })

  it.each([
    ['limit=0'],
    ['limit=101'],
    ['limit=ten'],
    ['status=gold'],
    ['status=active,gold'],
    [`q=${'x'.repeat(201)}`],
    ['cursor=garbage'],
    [
      `cursor=${btoa(JSON.stringify({ v: 1, s: 'reports:newest', k: ['a', 'b'] })).replace(/=+$/, '')}`,
    ],
  ])('answers 400 to %s', async (query) => {
    await expectProblem(
      await call(`/v1/admin/supporters?${query}`, { headers: { authorization: ADMIN } }),
      400,
      'validation_failed',
    )
  })

  it('needs a token', async () => {
    await expectProblem(await call('/v1/admin/supporters'), 401, 'unauthorized')
    await expectProblem(
      await call('/v1/admin/supporters', { headers: { authorization: 'Bearer wrong' } }),
      401,
      'unauthorized',
    )
  })
})

describe('supporters’ data is the newsroom’s business: admins only', () => {
  it.each(['/v1/admin/supporters', '/v1/admin/supporters.csv', '/v1/admin/payments'])(
    'answers an editor 403 on %s and an admin account 200',
    async (path) => {
      await supporters(1, 'Private')
      const editor = await createEditor('editor')
      const problem = await expectProblem(
        await call(path, { headers: { authorization: `Bearer ${editor.token}` } }),
        403,
        'forbidden',
      )
      expect(JSON.stringify(problem)).not.toMatch(/@example\.org|amount/)
      const admin = await createEditor('admin')
      const response = await call(path, { headers: { authorization: `Bearer ${admin.token}` } })
      expect(response.status).toBe(200)
      expect(await response.text()).toMatch(/@example\.org|"amount_refunded":/)
    },
  )
})

describe('GET /v1/admin/supporters.csv', () => {
  const csv = (query = '') =>
    call(`/v1/admin/supporters.csv${query}`, { headers: { authorization: ADMIN } })

  it('starts no cell with a formula character whether read with a comma, a semicolon or a tab', async () => {
    const names = [
      'Cy;=1+1;z',
      'Tab\t-2+3\tend',
      'Quoted;"=HYPERLINK(""https://evil.example"")',
      ' @SUM(A1:A9)',
      'Smith, "Jo"; +44 20',
      '\t=cmd|calc',
    ]
    for (const name of names) await delivered(giver({ name }).completed())
    const text = await (await csv('?status=one_time')).text()
    for (const delimiter of [',', ';', '\t']) {
      const { data } = Papa.parse<string[]>(text, { delimiter, newline: '\r\n' })
      const cells = data.slice(1).flat()
      expect(cells.length, delimiter).toBeGreaterThan(names.length)
      expect(
        cells.filter((cell) => /^[=+\-@]/.test(cell) || /^[=+\-@]/.test(cell.trimStart())),
        `read with ${JSON.stringify(delimiter)}`,
      ).toEqual([])
    }
    const { data } = Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n' })
    const listed = data.slice(1).map((row) => row[2])
    expect(listed).toContain("Cy;'=1+1;z")
    expect(listed).toContain('Smith, "Jo";\' +44 20')
  })

  it('is RFC 4180 CSV with CRLF lines, a header and the same rows as the list', async () => {
    await supporters(2, 'Csv')
    const response = await csv()
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="supporters.csv"',
    )
    expect(response.headers.get('cache-control')).toBe('no-store')
    const text = await response.text()
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/)
    const [header, ...rows] = parseCsv(text)
    expect(header).toEqual([
      'id',
      'email',
      'name',
      'status',
      'tier_id',
      'amount',
      'currency',
      'interval',
      'since',
      'current_period_end',
      'cancel_at',
      'canceled_at',
      'lifetime_amount',
    ])
    const listed = await allPages<SupporterItem>('/v1/admin/supporters', 100)
    expect(rows.map((row) => row[1])).toEqual(listed.map((item) => item.email))
    const first = listed[0]!
    expect(rows[0]).toEqual([
      first.id,
      first.email,
      first.name ?? '',
      first.status,
      first.tier_id ?? '',
      String(first.amount),
      first.currency,
      first.interval ?? '',
      first.since,
      first.current_period_end ?? '',
      first.cancel_at ?? '',
      first.canceled_at ?? '',
      String(first.lifetime_amount),
    ])
  })

  it('defuses cells a spreadsheet would run as formulas and quotes what needs quoting', async () => {
    const names = [
      '=HYPERLINK("https://evil.example","click")',
      '+1 555 0100',
      '-2+3',
      '@SUM(A1:A9)',
      'Smith, "Jo"',
      'Line\nbreak',
    ]
    for (const name of names) await delivered(giver({ name }).completed())
    const text = await (await csv('?status=one_time')).text()
    const cells = parseCsv(text).map((row) => row[2])
    expect(cells).toContain('\'=HYPERLINK("https://evil.example","click")')
    expect(cells).toContain("'+1 555 0100")
    expect(cells).toContain("'-2+3")
    expect(cells).toContain("'@SUM(A1:A9)")
    expect(cells).toContain('Smith, "Jo"')
    expect(cells).toContain('Line\nbreak')
    expect(text).toContain('"\'=HYPERLINK(""https://evil.example"",""click"")"')
    expect(text).toContain('"Smith, ""Jo"""')
    expect(cells.filter((cell) => /^[=+\-@\t]/.test(cell ?? ''))).toEqual([])
  })

  it('applies the same filters as the list', async () => {
    const reader = giver({ name: 'Filtered Fiona' })
    await delivered(reader.completed())
    const rows = parseCsv(await (await csv('?q=fiona')).text())
    expect(rows).toHaveLength(2)
    expect(rows[1]?.[1]).toBe(reader.email)
    expect(parseCsv(await (await csv('?status=past_due&q=fiona')).text())).toHaveLength(1)
    await expectProblem(await csv('?status=nobody'), 400, 'validation_failed')
  })

  it('needs a token', async () => {
    await expectProblem(await call('/v1/admin/supporters.csv'), 401, 'unauthorized')
  })
})

describe('GET /v1/admin/payments', () => {
  it('lists payments newest first, paged, with their supporter and status', async () => {
    const gifts = [giver({ amount: 1_000 }), giver({ amount: 2_000 }), giver({ amount: 3_000 })]
    for (const gift of gifts) await delivered(gift.completed())
    await delivered(gifts[1]!.refunded(2_000))
    const seen = await allPages<PaymentItem>('/v1/admin/payments', 2)
    const ours = seen.filter((item) => gifts.some((gift) => gift.paymentIntent === item.id))
    expect(ours.map((item) => item.id)).toEqual(gifts.map((gift) => gift.paymentIntent).reverse())
    expect(ours.map((item) => item.status)).toEqual(['paid', 'refunded', 'paid'])
    const supporter: Page<SupporterItem> = await adminGet(
      `/v1/admin/supporters?q=${encodeURIComponent(gifts[0]!.email)}`,
    )
    expect(ours[2]).toEqual({
      id: gifts[0]!.paymentIntent,
      supporter_id: supporter.items[0]?.id,
      amount: 1_000,
      amount_refunded: 0,
      currency: 'eur',
      status: 'paid',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    expect(new Set(seen.map((item) => item.id)).size).toBe(seen.length)
  })

  it.each([['limit=0'], ['limit=1000'], ['cursor=%%%']])('answers 400 to %s', async (query) => {
    await expectProblem(
      await call(`/v1/admin/payments?${query}`, { headers: { authorization: ADMIN } }),
      400,
      'validation_failed',
    )
  })

  it('needs a token', async () => {
    await expectProblem(await call('/v1/admin/payments'), 401, 'unauthorized')
  })
})

describe('GET /v1/supporters/stats', () => {
  it('is public, cacheable for a minute and readable from any site', async () => {
    const response = await call('/v1/supporters/stats', {
      headers: { origin: 'https://another.example' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=60')
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const body = (await response.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['active_supporters', 'monthly_recurring', 'raised'])
  })
})

describe('GET /v1/billing-portal', () => {
  it('sends supporters to Stripe’s customer portal with 303', async () => {
    const portal = 'https://billing.stripe.com/p/login/test_14k3cv'
    const response = await call('/v1/billing-portal', { env: { STRIPE_PORTAL_LOGIN_URL: portal } })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(portal)
  })

  it('answers 503 not_configured without STRIPE_PORTAL_LOGIN_URL', async () => {
    await expectProblem(await call('/v1/billing-portal'), 503, 'not_configured')
  })
})

describe('the hourly clean-up of Stripe facts', () => {
  it('purges unlinked charge facts and old event ids after 30 days, and keeps what belongs to a payment', async () => {
    const reader = giver({ amount: 1_000 })
    await delivered(reader.completed())
    await delivered(reader.refunded(400))
    const stranger = charge({
      id: stripeId('ch'),
      paymentIntent: stripeId('pi'),
      customer: null,
      amount: 700,
      amountRefunded: 700,
      currency: 'usd',
    })
    await delivered(stripeEvent('charge.refunded', stranger))
    const strangerLink = stripeEvent('invoice_payment.paid', {
      id: stripeId('inpay'),
      object: 'invoice_payment',
      invoice: stripeId('in'),
      payment: { type: 'payment_intent', payment_intent: stripeId('pi') },
    })
    await delivered(strangerLink)
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString()
    await env.DB.batch([
      env.DB.prepare('UPDATE support_charges SET created_at = ?').bind(old),
      env.DB.prepare('UPDATE support_invoice_payments SET created_at = ?').bind(old),
      env.DB.prepare('UPDATE support_events SET received_at = ?').bind(old),
    ])
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }),
      env,
    )
    const count = async (sql: string, ...binds: string[]) =>
      (
        await env.DB.prepare(sql)
          .bind(...binds)
          .first<{ n: number }>()
      )?.n
    expect(await count('SELECT count(*) AS n FROM support_charges WHERE id = ?', stranger.id)).toBe(
      0,
    )
    expect(
      await count('SELECT count(*) AS n FROM support_charges WHERE id = ?', reader.chargeId),
    ).toBe(1)
    expect(await count('SELECT count(*) AS n FROM support_invoice_payments')).toBe(0)
    expect(await count('SELECT count(*) AS n FROM support_events')).toBe(0)
    const payment: Page<PaymentItem> = await adminGet('/v1/admin/payments?limit=100')
    expect(payment.items.find((item) => item.id === reader.paymentIntent)).toMatchObject({
      amount_refunded: 400,
    })
  })

  it('purges refunds, disputes and customer profiles that never turned out to be ours, and keeps ours', async () => {
    const reader = giver({ amount: 1_000 })
    await delivered(reader.completed())
    const refund = (paymentIntent: string, charge: string) =>
      stripeEvent('refund.created', {
        id: stripeId('re'),
        object: 'refund',
        amount: 100,
        charge,
        payment_intent: paymentIntent,
        status: 'succeeded',
      })
    const ours = refund(reader.paymentIntent, reader.chargeId)
    const theirs = refund(stripeId('pi'), stripeId('ch'))
    const strangerDispute = stripeEvent('charge.dispute.created', {
      id: stripeId('dp'),
      object: 'dispute',
      amount: 700,
      charge: stripeId('ch'),
      payment_intent: stripeId('pi'),
      status: 'needs_response',
    })
    const profile = (id: string) =>
      stripeEvent('customer.updated', { id, object: 'customer', email: 'x@example.org' })
    for (const event of [
      ours,
      theirs,
      reader.dispute('created', 'needs_response'),
      strangerDispute,
      profile(reader.customer),
      profile(stripeId('cus')),
    ])
      await delivered(event)
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString()
    await env.DB.batch(
      ['support_refunds', 'support_disputes', 'support_customer_profiles'].map((table) =>
        env.DB.prepare(`UPDATE ${table} SET created_at = ?`).bind(old),
      ),
    )
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }),
      env,
    )
    const ids = async (sql: string) =>
      (await env.DB.prepare(sql).all<{ id: string }>()).results.map((row) => row.id)
    expect(await ids('SELECT id FROM support_refunds')).toEqual([ours.data.object.id])
    expect(await ids('SELECT charge_id AS id FROM support_disputes')).toEqual([reader.chargeId])
    expect(await ids('SELECT id FROM support_customer_profiles')).toEqual([reader.customer])
  })
})

describe('the OpenAPI document', () => {
  it('documents every supporters route under the Supporters tag, the editors’ ones with a bearer token', async () => {
    const document = (await (await call('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          { tags?: string[]; security?: unknown[]; responses: Record<string, unknown> }
        >
      >
      tags: { name: string }[]
    }
    expect(document.tags.map((tag) => tag.name)).toContain('Supporters')
    const routes = [
      ['get', '/v1/tiers', false],
      ['post', '/v1/checkout', false],
      ['post', '/v1/webhooks/stripe', false],
      ['get', '/v1/supporters/stats', false],
      ['get', '/v1/billing-portal', false],
      ['get', '/v1/admin/tiers', true],
      ['post', '/v1/admin/tiers', true],
      ['patch', '/v1/admin/tiers/{id}', true],
      ['get', '/v1/admin/supporters', true],
      ['get', '/v1/admin/supporters.csv', true],
      ['get', '/v1/admin/payments', true],
    ] as const
    for (const [method, path, secured] of routes) {
      const operation = document.paths[path]?.[method]
      expect(operation?.tags, `${method} ${path}`).toEqual(['Supporters'])
      expect(operation?.security, `${method} ${path}`).toEqual(
        secured ? [{ bearer: [] }] : undefined,
      )
    }
    expect(Object.keys(document.paths['/v1/checkout']!.post!.responses)).toEqual(
      expect.arrayContaining([
        '201',
        '400',
        '403',
        '404',
        '409',
        '413',
        '415',
        '422',
        '429',
        '502',
        '503',
      ]),
    )
    expect(Object.keys(document.paths['/v1/admin/tiers']!.post!.responses)).toContain('403')
    for (const path of ['/v1/admin/supporters', '/v1/admin/supporters.csv', '/v1/admin/payments'])
      expect(Object.keys(document.paths[path]!.get!.responses), path).toContain('403')
  })

  it('shows a supporter’s cancel_at, nullable, and the api_version_mismatch problem code', async () => {
    const document = (await (await call('/openapi.json')).json()) as {
      components: {
        schemas: Record<string, { properties: Record<string, { type?: unknown; enum?: string[] }> }>
      }
    }
    const { Supporter, Problem } = document.components.schemas
    expect(Supporter?.properties.cancel_at?.type).toEqual(['string', 'null'])
    expect(Problem?.properties.code?.enum).toContain('api_version_mismatch')
  })

  it('lists them on the /docs page', async () => {
    const html = await (await call('/docs', { headers: { origin: SITE } })).text()
    for (const path of ['/v1/checkout', '/v1/webhooks/stripe', '/v1/admin/supporters.csv'])
      expect(html).toContain(path)
  })
})
