/** The admins' pages on money: supporters and payments. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import { SUPPORTER_STATUSES } from '../support/supporter-schemas'
import type { PaymentRow, SupporterRow } from '../support/supporter-store'
import { Badge, money, NextPage, pairs, Page, Select, when } from './layout'

export const SupportersPage: FC<{
  actor: Actor
  filters: { status?: string | undefined; q?: string | undefined }
  items: SupporterRow[]
  next: string | null
  csv: string
}> = ({ actor, filters, items, next, csv }) => (
  <Page title="Supporters" actor={actor} current="supporters">
    <h1>Supporters</h1>
    <form class="filters" method="get" action="/admin/supporters" role="search">
      <div class="field grow">
        <label for="q">Search</label>
        <input id="q" type="search" name="q" value={filters.q ?? ''} maxlength={254} />
      </div>
      <div class="field">
        <label for="status">Status</label>
        <Select
          id="status"
          name="status"
          values={[['', 'Any status'], ...pairs(SUPPORTER_STATUSES)]}
          selected={filters.status}
        />
      </div>
      <div class="field">
        <button type="submit">Filter</button>
      </div>
      <div class="field">
        <a class="button secondary" href={csv}>
          Download CSV
        </a>
      </div>
    </form>
    <div class="list">
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col">Interval</th>
            <th scope="col">Since</th>
            <th scope="col" class="num">
              Lifetime
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <tr>
              <td>{row.email ?? <span class="muted">erased</span>}</td>
              <td>{row.name ?? '—'}</td>
              <td>
                <Badge value={row.status} />
                {row.cancel_at && <div class="small muted">ends {when(row.cancel_at)}</div>}
              </td>
              <td class="num">{money(row.amount, row.currency)}</td>
              <td>{row.interval ?? 'once'}</td>
              <td class="muted">{when(row.since)}</td>
              <td class="num">{money(row.lifetime_amount, row.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {items.length === 0 && <p class="panel muted">No supporters match.</p>}
    <NextPage href={next} />
  </Page>
)

export const PaymentsPage: FC<{ actor: Actor; items: PaymentRow[]; next: string | null }> = ({
  actor,
  items,
  next,
}) => (
  <Page title="Payments" actor={actor} current="payments">
    <h1>Payments</h1>
    <div class="list">
      <table>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Payment</th>
            <th scope="col">Supporter</th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col" class="num">
              Refunded
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((row) => (
            <tr>
              <td class="muted">{when(row.created_at)}</td>
              <td>
                <code>{row.id}</code>
              </td>
              <td>
                <code>{row.supporter_id}</code>
              </td>
              <td class="num">{money(row.amount, row.currency)}</td>
              <td class="num">
                {row.amount_refunded ? money(row.amount_refunded, row.currency) : '—'}
              </td>
              <td>{row.status}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {items.length === 0 && <p class="panel muted">No payments yet.</p>}
    <NextPage href={next} />
  </Page>
)
