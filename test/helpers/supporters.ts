/**
 * Factories for supporters' lives as Stripe tells them: each keeps the ids a real reader's
 * objects would share (customer, subscription, invoices, payment intents, charges) and builds
 * the events of that life, to be delivered in whatever order a test wants.
 */
import { ADMIN, call } from './http'
import {
  charge,
  checkoutSession,
  dispute,
  invoice,
  invoicePayment,
  OUR_METADATA,
  stripeEvent,
  stripeId,
  subscription,
  tick,
  type EventOptions,
} from './stripe'

let sequence = 0

export function uniqueEmail(name = 'reader'): string {
  sequence += 1
  return `${name}.${sequence}.${crypto.randomUUID().slice(0, 8)}@example.org`
}

const DAY = 86_400

/** The checkout.session.* events of one session, paid at once or (`unpaid`) later. */
function checkoutEvents<S extends object>(paid: S, unpaid: S) {
  return {
    completed: (options: EventOptions = {}) =>
      stripeEvent('checkout.session.completed', paid, options),
    completedUnpaid: (options: EventOptions = {}) =>
      stripeEvent('checkout.session.completed', unpaid, options),
    asyncSucceeded: (options: EventOptions = {}) =>
      stripeEvent('checkout.session.async_payment_succeeded', paid, options),
    asyncFailed: (options: EventOptions = {}) =>
      stripeEvent('checkout.session.async_payment_failed', unpaid, options),
  }
}

export interface SubscriberOptions {
  email?: string
  name?: string
  amount?: number
  currency?: string
  interval?: 'month' | 'year'
  tierId?: string
  /** A customer this reader already has (a second subscription of the same person). */
  customer?: string
}

/** A reader who subscribes through our checkout. */
export function subscriber(options: SubscriberOptions = {}) {
  const email = options.email ?? uniqueEmail('subscriber')
  const amount = options.amount ?? 500
  const currency = options.currency ?? 'usd'
  const interval = options.interval ?? 'month'
  const customer = options.customer ?? stripeId('cus')
  const id = stripeId('sub')
  const metadata: Record<string, string> = {
    ...OUR_METADATA,
    readerdesk_interval: interval,
    ...(options.tierId ? { readerdesk_tier: options.tierId } : {}),
  }
  const startDate = tick()
  const periodEnd = startDate + (interval === 'year' ? 365 : 30) * DAY
  const checkout = (paymentStatus: 'paid' | 'unpaid') =>
    checkoutSession({
      mode: 'subscription',
      email,
      name: options.name ?? 'Ada Reader',
      customer,
      subscription: id,
      amount,
      currency,
      paymentStatus,
      metadata,
    })
  const paid = checkout('paid')
  const unpaid = { ...checkout('unpaid'), id: paid.id }
  return {
    email,
    amount,
    currency,
    customer,
    subscription: id,
    metadata,
    ...checkoutEvents(paid, unpaid),
    state: (
      type: 'created' | 'updated' | 'deleted',
      status: Parameters<typeof subscription>[0]['status'],
      extra: EventOptions & {
        periodEnd?: number
        canceledAt?: number
        amount?: number
        metadata?: Record<string, string>
      } = {},
    ) =>
      stripeEvent(
        `customer.subscription.${type}`,
        subscription({
          id,
          customer,
          status,
          amount: extra.amount ?? amount,
          currency,
          interval,
          startDate,
          periodEnd: extra.periodEnd ?? periodEnd,
          canceledAt: extra.canceledAt ?? (status === 'canceled' ? tick() : null),
          metadata: extra.metadata ?? metadata,
        }),
        extra,
      ),
    invoice: (
      paid: boolean,
      extra: EventOptions & {
        invoice?: string
        email?: string | null
        metadata?: Record<string, string>
      } = {},
    ) =>
      stripeEvent(
        paid ? 'invoice.paid' : 'invoice.payment_failed',
        invoice({
          id: extra.invoice ?? stripeId('in'),
          customer,
          email: extra.email === undefined ? email : extra.email,
          subscription: id,
          amount,
          currency,
          paid,
          metadata: extra.metadata ?? metadata,
        }),
        extra,
      ),
    invoicePayment: (invoiceId: string, paymentIntent: string, extra: EventOptions = {}) =>
      stripeEvent(
        'invoice_payment.paid',
        invoicePayment({ invoice: invoiceId, paymentIntent, amount, currency }),
        extra,
      ),
    refund: (
      chargeId: string,
      paymentIntent: string,
      amountRefunded: number,
      extra: EventOptions = {},
    ) =>
      stripeEvent(
        'charge.refunded',
        charge({ id: chargeId, paymentIntent, customer, amount, amountRefunded, currency }),
        extra,
      ),
  }
}

export type Subscriber = ReturnType<typeof subscriber>

export interface GiftOptions {
  email?: string
  name?: string
  amount?: number
  currency?: string
}

/** A reader who gives once through our checkout. */
export function giver(options: GiftOptions = {}) {
  const email = options.email ?? uniqueEmail('giver')
  const amount = options.amount ?? 2_500
  const currency = options.currency ?? 'eur'
  const customer = stripeId('cus')
  const paymentIntent = stripeId('pi')
  const chargeId = stripeId('ch')
  const metadata = { ...OUR_METADATA, readerdesk_interval: 'once' }
  const checkout = (paymentStatus: 'paid' | 'unpaid') =>
    checkoutSession({
      mode: 'payment',
      email,
      name: options.name ?? 'Grace Giver',
      customer,
      paymentIntent,
      amount,
      currency,
      paymentStatus,
      metadata,
    })
  const paid = checkout('paid')
  const unpaid = { ...checkout('unpaid'), id: paid.id }
  // Stripe copies the payment intent's metadata (payment_intent_data.metadata) onto its charge.
  const theCharge = (amountRefunded: number) =>
    charge({ id: chargeId, paymentIntent, customer, amount, amountRefunded, currency, metadata })
  return {
    email,
    amount,
    currency,
    customer,
    paymentIntent,
    chargeId,
    ...checkoutEvents(paid, unpaid),
    refunded: (amountRefunded: number, options: EventOptions = {}) =>
      stripeEvent('charge.refunded', theCharge(amountRefunded), options),
    dispute: (
      type: 'created' | 'closed',
      status: Parameters<typeof dispute>[0]['status'],
      options: EventOptions = {},
    ) =>
      stripeEvent(
        `charge.dispute.${type}`,
        dispute({ charge: chargeId, paymentIntent, amount, currency, status }),
        options,
      ),
  }
}

export interface SupporterItem {
  id: string
  email: string
  name: string | null
  status: string
  tier_id: string | null
  amount: number | null
  currency: string | null
  interval: string | null
  since: string
  current_period_end: string | null
  cancel_at: string | null
  canceled_at: string | null
  lifetime_amount: number
}

export interface PaymentItem {
  id: string
  supporter_id: string | null
  amount: number
  amount_refunded: number
  currency: string
  status: string
  created_at: string
}

export async function adminGet<T>(path: string): Promise<T> {
  const response = await call(path, { headers: { authorization: ADMIN } })
  if (response.status !== 200)
    throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
  return response.json() as Promise<T>
}

/** The supporter with this email as the editors see it, or `null` when they are not listed. */
export async function supporterOf(email: string): Promise<SupporterItem | null> {
  const page = await adminGet<{ items: SupporterItem[] }>(
    `/v1/admin/supporters?q=${encodeURIComponent(email)}&limit=100`,
  )
  return page.items.find((item) => item.email === email.toLowerCase()) ?? null
}

/** The payment with this id as the editors see it, or `null` when it is not listed. */
export async function paymentOf(id: string): Promise<PaymentItem | null> {
  let cursor: string | null = null
  do {
    const page: { items: PaymentItem[]; next_cursor: string | null } = await adminGet(
      `/v1/admin/payments?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    )
    const found = page.items.find((item) => item.id === id)
    if (found) return found
    cursor = page.next_cursor
  } while (cursor)
  return null
}

export interface PublicStats {
  active_supporters: number
  monthly_recurring: { currency: string; amount: number }[]
  raised: { currency: string; amount: number }[]
}

export async function publicStats(): Promise<PublicStats> {
  return (await call('/v1/supporters/stats')).json()
}

/** One currency's figure in a per-currency list, 0 when absent. */
export function amountIn(list: { currency: string; amount: number }[], currency: string): number {
  return list.find((item) => item.currency === currency)?.amount ?? 0
}
