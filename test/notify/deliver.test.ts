import { Webhook } from 'standardwebhooks'
import { describe, expect, it } from 'vitest'
import { DELIVERY_TIMEOUT_MS, deliverWebhook } from '../../src/notify/deliver'
import type { EventType, NotifyEvent } from '../../src/notify/messages'
import { newWebhookSecret } from '../../src/notify/sign'
import { escapeSlack, isSlackWebhook, slackText } from '../../src/notify/slack'
import { hookRequests, newHook, newSlackHook, scriptHook } from '../helpers/hooks'

const report = {
  id: 'rep_1',
  url: 'https://news.example/2026/budget',
  title: 'The budget, explained',
  quote: 'The deficit grew by 40%',
  context_before: null,
  context_after: null,
  kind: 'factual',
  lang: 'en',
  status: 'triaged',
  assignee: 'Ana',
  submissions: 2,
  first_reported_at: '2026-11-01T10:00:00.000Z',
  last_reported_at: '2026-11-01T11:00:00.000Z',
  updated_at: '2026-11-02T09:00:00.000Z',
  duplicate_of: null,
  correction_id: null,
}

const correction = {
  id: 'cor_1',
  url: 'https://news.example/2026/budget',
  kind: 'correction',
  text: 'The deficit grew by 4%, not 40%.',
  published_at: '2026-11-03T08:00:00.000Z',
  report_id: 'rep_1',
  title: 'The budget, explained',
  article_title: 'Budget 2027: what changes',
}

const supporter = {
  id: 'sup_1',
  email: 'reader@example.org',
  name: 'Marta Ruiz',
  status: 'active',
  tier_id: 'tier_1',
  amount: 500,
  currency: 'eur',
  interval: 'month',
  since: '2026-10-01T00:00:00.000Z',
  current_period_end: '2026-12-01T00:00:00.000Z',
  cancel_at: null,
  canceled_at: null,
  lifetime_amount: 1000,
}

const DATA: Record<EventType, Record<string, unknown>> = {
  'report.created': { report },
  'report.updated': { report, changes: { status: { from: 'new', to: 'triaged' } } },
  'correction.published': { correction, report_id: 'rep_1' },
  'supporter.started': { supporter },
  'supporter.canceled': { supporter: { ...supporter, status: 'canceled' } },
}

function event(type: EventType = 'report.created', data = DATA[type]): NotifyEvent {
  return { id: `evt_${crypto.randomUUID()}`, type, timestamp: '2026-11-03T08:00:00.000Z', data }
}

function message(type?: EventType) {
  return { message_id: `msg_${crypto.randomUUID()}`, event: event(type) }
}

describe('a webhook delivery', () => {
  it('posts the event as signed JSON that a Standard Webhooks library verifies', async () => {
    const hook = newHook()
    const secret = newWebhookSecret()
    const sent = message('report.updated')
    const now = Date.now() - 4_500

    const outcome = await deliverWebhook({ url: hook.url, secret }, sent, now)

    expect(outcome).toEqual({ ok: true, status_code: 200, error: null })
    const [received, ...more] = await hookRequests(hook.name)
    expect(more).toEqual([])
    expect(received?.method).toBe('POST')
    expect(received?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'readerdesk-webhooks',
      'webhook-id': sent.message_id,
      'webhook-timestamp': String(Math.floor(now / 1000)),
    })
    expect(received?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/)
    const verified = new Webhook(secret).verify(received!.body, received!.headers)
    expect(verified).toEqual({
      type: 'report.updated',
      timestamp: sent.event.timestamp,
      data: sent.event.data,
    })
  })

  it('signs exactly the bytes it sends, so a changed body or another secret fails to verify', async () => {
    const hook = newHook()
    const secret = newWebhookSecret()
    await deliverWebhook({ url: hook.url, secret }, message())
    const [received] = await hookRequests(hook.name)
    const { body, headers } = received!

    expect(() => new Webhook(secret).verify(body, headers)).not.toThrow()
    expect(() => new Webhook(secret).verify(body.replace('40%', '4%'), headers)).toThrow(
      /signature/i,
    )
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(/signature/i)
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/signature/i)
    expect(() =>
      new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_other' }),
    ).toThrow(/signature/i)
  })

  it('keeps the same webhook-id on every attempt of one message', async () => {
    const hook = newHook()
    const secret = newWebhookSecret()
    const sent = message()
    await deliverWebhook({ url: hook.url, secret }, sent)
    await deliverWebhook({ url: hook.url, secret }, sent)
    const ids = (await hookRequests(hook.name)).map((request) => request.headers['webhook-id'])
    expect(ids).toEqual([sent.message_id, sent.message_id])
  })

  it('counts any 2xx as delivered', async () => {
    const hook = newHook()
    await scriptHook(hook.name, { responses: [204, 202] })
    const endpoint = { url: hook.url, secret: newWebhookSecret() }
    expect(await deliverWebhook(endpoint, message())).toEqual({
      ok: true,
      status_code: 204,
      error: null,
    })
    expect(await deliverWebhook(endpoint, message())).toEqual({
      ok: true,
      status_code: 202,
      error: null,
    })
  })

  it('reports a 500 as failed with its status, and the next answer as it comes', async () => {
    const hook = newHook()
    await scriptHook(hook.name, { responses: [500, 200] })
    const endpoint = { url: hook.url, secret: newWebhookSecret() }
    const sent = message()

    expect(await deliverWebhook(endpoint, sent)).toEqual({
      ok: false,
      status_code: 500,
      error: 'HTTP 500',
    })
    expect(await deliverWebhook(endpoint, sent)).toEqual({
      ok: true,
      status_code: 200,
      error: null,
    })
    expect(await hookRequests(hook.name)).toHaveLength(2)
  })

  it('never echoes what a failing endpoint answered', async () => {
    const hook = newHook()
    await scriptHook(hook.name, { responses: [400] })
    const outcome = await deliverWebhook({ url: hook.url, secret: newWebhookSecret() }, message())
    expect(outcome).toEqual({ ok: false, status_code: 400, error: 'HTTP 400' })
  })

  it('does not follow a redirect: a 302 is not a delivery', async () => {
    const hook = newHook()
    await scriptHook(hook.name, { responses: [302] })
    const outcome = await deliverWebhook({ url: hook.url, secret: newWebhookSecret() }, message())

    expect(outcome).toEqual({ ok: false, status_code: 302, error: 'HTTP 302' })
    // The receiver's Location points back at the same endpoint: following it would be recorded.
    expect((await hookRequests(hook.name)).map((request) => request.method)).toEqual(['POST'])
  })

  it(
    'gives up on an endpoint that takes longer than the timeout',
    { timeout: 20_000 },
    async () => {
      const hook = newHook()
      await scriptHook(hook.name, { delay_ms: DELIVERY_TIMEOUT_MS + 2_000 })
      const started = Date.now()
      const outcome = await deliverWebhook({ url: hook.url, secret: newWebhookSecret() }, message())

      expect(outcome).toEqual({ ok: false, status_code: null, error: 'timed out after 10 s' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(DELIVERY_TIMEOUT_MS - 100)
      expect(Date.now() - started).toBeLessThan(DELIVERY_TIMEOUT_MS + 2_000)
      expect(await hookRequests(hook.name)).toHaveLength(1)
    },
  )

  it('reports an endpoint nobody listens on as unreachable', async () => {
    const outcome = await deliverWebhook(
      { url: 'http://127.0.0.1:9/hooks/closed', secret: newWebhookSecret() },
      message(),
    )
    expect(outcome).toEqual({ ok: false, status_code: null, error: 'could not connect' })
  })
})

describe('a delivery to Slack', () => {
  it('sends { text } to a Slack incoming webhook, still signed', async () => {
    const hook = newSlackHook()
    const secret = newWebhookSecret()
    const sent = message('correction.published')

    const outcome = await deliverWebhook({ url: hook.url, secret }, sent)

    expect(outcome).toEqual({ ok: true, status_code: 200, error: null })
    const [received, ...more] = await hookRequests(hook.name)
    expect(more).toEqual([])
    expect(received?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(received!.body)).toEqual({ text: slackText(sent.event) })
    expect(new Webhook(secret).verify(received!.body, received!.headers)).toEqual({
      text: slackText(sent.event),
    })
  })

  it('escapes what readers and editors wrote, so it cannot mention or link', async () => {
    const hook = newSlackHook()
    const hostile = event('report.created', {
      report: {
        ...report,
        title: 'Tom & Jerry <!channel>',
        quote: 'a <https://evil.example|click here> & <@U123>',
        url: 'https://news.example/a?b=1&c=<2>|x',
      },
    })
    await deliverWebhook(
      { url: hook.url, secret: newWebhookSecret() },
      {
        message_id: 'msg_1',
        event: hostile,
      },
    )
    const [received] = await hookRequests(hook.name)
    const { text } = JSON.parse(received!.body) as { text: string }

    expect(text).toBe(
      'New report on <https://news.example/a?b=1&amp;c=%3C2%3E%7Cx|Tom &amp; Jerry &lt;!channel&gt;>: ' +
        '“a &lt;https://evil.example|click here&gt; &amp; &lt;@U123&gt;” (factual)',
    )
  })

  it('is recognised by its address alone', () => {
    expect(isSlackWebhook('https://hooks.slack.com/services/T/B/x')).toBe(true)
    expect(isSlackWebhook('https://HOOKS.SLACK.COM/services/T/B/x')).toBe(true)
    expect(isSlackWebhook('http://hooks.slack.com/services/T/B/x')).toBe(false)
    expect(isSlackWebhook('https://hooks.slack.com.evil.example/services')).toBe(false)
    expect(isSlackWebhook('https://evil.example/https://hooks.slack.com/')).toBe(false)
    expect(isSlackWebhook('not a url')).toBe(false)
  })
})

describe('the Slack text', () => {
  it('says which article a new report is on, what it quotes and its kind', () => {
    expect(slackText(event('report.created'))).toBe(
      'New report on <https://news.example/2026/budget|The budget, explained>: ' +
        '“The deficit grew by 40%” (factual)',
    )
  })

  it('says what changed in a report', () => {
    const changed = (changes: unknown) => slackText(event('report.updated', { report, changes }))
    expect(changed({ status: { from: 'new', to: 'triaged' } })).toBe(
      'Report on <https://news.example/2026/budget|The budget, explained> ' +
        '“The deficit grew by 40%”: status new → triaged',
    )
    expect(
      changed({ status: { from: 'triaged', to: 'accepted' }, assignee: { to: 'Ana' } }),
    ).toMatch(/: status triaged → accepted, assigned to Ana$/)
    expect(changed({ assignee: { from: 'Ana', to: null } })).toMatch(/: unassigned$/)
    expect(changed([{ action: 'status', from: 'new', to: 'spam' }, { action: 'note' }])).toMatch(
      /: status new → spam, note added$/,
    )
    expect(changed(undefined)).toMatch(/: updated$/)
  })

  it('gives a correction’s kind and text on its article', () => {
    expect(slackText(event('correction.published'))).toBe(
      'Correction published on <https://news.example/2026/budget|Budget 2027: what changes>: ' +
        'The deficit grew by 4%, not 40%.',
    )
    const clarification = { ...correction, kind: 'clarification', article_title: null, title: null }
    expect(slackText(event('correction.published', { correction: clarification }))).toBe(
      'Clarification published on <https://news.example/2026/budget|https://news.example/2026/budget>: ' +
        'The deficit grew by 4%, not 40%.',
    )
  })

  it('names a supporter who starts or stops, and what they give, but not their email', () => {
    expect(slackText(event('supporter.started'))).toBe(
      'Marta Ruiz started supporting (€5.00 a month)',
    )
    expect(slackText(event('supporter.canceled'))).toBe(
      'Marta Ruiz canceled their support (€5.00 a month)',
    )
    const anonymous = { ...supporter, name: null, amount: null, currency: null, interval: null }
    expect(slackText(event('supporter.started', { supporter: anonymous }))).toBe(
      'A supporter started supporting (tier tier_1)',
    )
    const gift = { ...supporter, interval: null, amount: 2000, currency: 'usd' }
    expect(slackText(event('supporter.started', { supporter: gift }))).toBe(
      'Marta Ruiz started supporting ($20.00)',
    )
    for (const type of ['supporter.started', 'supporter.canceled'] as const) {
      expect(slackText(event(type))).not.toContain('reader@example.org')
    }
  })

  it('still says something sensible when an event’s data is missing or malformed', () => {
    const texts = (
      [
        'report.created',
        'report.updated',
        'correction.published',
        'supporter.started',
        'supporter.canceled',
      ] as const
    ).map((type) => slackText(event(type, { report: 'x', correction: 7, supporter: [] })))
    expect(texts).toEqual([
      'New report on an article',
      'Report on an article: updated',
      'Correction published on an article',
      'A supporter started supporting',
      'A supporter canceled their support',
    ])
  })

  it('keeps a long quote to one short line', () => {
    const long = { ...report, quote: `${'word '.repeat(100)}\n\nend` }
    const text = slackText(event('report.created', { report: long }))
    expect(text).not.toContain('\n')
    expect(text.length).toBeLessThan(320)
    expect(text).toContain('…”')
  })

  it('escapes exactly &, < and >', () => {
    expect(escapeSlack('a & b < c > d *e* _f_')).toBe('a &amp; b &lt; c &gt; d *e* _f_')
  })
})
