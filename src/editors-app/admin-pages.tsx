/** The admins' pages: supporters, payments, tiers, editors. */
import type { FC } from 'hono/jsx'
import type { EditorRow } from '../editors/store'
import { ROLES, type Actor } from '../http/context'
import { TIER_INTERVALS } from '../support/schemas'
import { SUPPORTER_STATUSES } from '../support/supporter-schemas'
import type { PaymentRow, SupporterRow } from '../support/supporter-store'
import type { Tier } from '../support/tier-store'
import { Alert, Badge, money, Notice, Page, Select, when } from './layout'

const pairs = (values: readonly string[]) => values.map((value) => [value, value] as const)

const NextPage: FC<{ href: string | null }> = ({ href }) =>
  href ? (
    <p class="pager">
      <a class="button secondary" href={href}>
        Next page
      </a>
    </p>
  ) : null

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

/** The fields of a tier, empty for a new one; ids are unique per tier. */
const TierFields: FC<{ tier: Tier | null }> = ({ tier }) => {
  const key = tier?.id ?? 'new'
  return (
    <>
      <div class="field">
        <label for={`name-${key}`}>Name</label>
        <input
          id={`name-${key}`}
          type="text"
          name="name"
          maxlength={100}
          required
          value={tier?.name ?? ''}
        />
      </div>
      <div class="field">
        <label for={`description-${key}`}>Description</label>
        <input
          id={`description-${key}`}
          type="text"
          name="description"
          maxlength={500}
          value={tier?.description ?? ''}
        />
      </div>
      <div class="row">
        <div class="field">
          <label for={`amount-${key}`}>Amount (minor units: 500 = 5.00)</label>
          <input
            id={`amount-${key}`}
            type="number"
            name="amount"
            min={100}
            required
            value={tier ? String(tier.amount) : ''}
          />
        </div>
        <div class="field">
          <label for={`currency-${key}`}>Currency</label>
          <input
            id={`currency-${key}`}
            type="text"
            name="currency"
            maxlength={3}
            required
            value={tier?.currency ?? 'usd'}
          />
        </div>
        <div class="field">
          <label for={`interval-${key}`}>Interval</label>
          <Select
            id={`interval-${key}`}
            name="interval"
            values={pairs(TIER_INTERVALS)}
            selected={tier?.interval ?? 'month'}
          />
        </div>
      </div>
    </>
  )
}

export const TiersPage: FC<{
  actor: Actor
  tiers: Tier[]
  error?: string | undefined
  notice?: string | undefined
}> = ({ actor, tiers, error, notice }) => (
  <Page title="Tiers" actor={actor} current="tiers">
    <h1>Tiers</h1>
    <Alert message={error} />
    <Notice message={notice} />
    <div class="split">
      <div>
        {tiers.length === 0 && <p class="panel muted">No tiers yet.</p>}
        {tiers.map((tier) => (
          <section class="panel" aria-label={`Tier ${tier.name}`}>
            <h2>
              {tier.name} · {money(tier.amount, tier.currency)} a {tier.interval}{' '}
              <Badge value={tier.active ? 'active' : 'canceled'} />
              <span class="small muted"> {tier.active ? '' : '(inactive, hidden)'}</span>
            </h2>
            <form method="post" action={`/admin/tiers/${encodeURIComponent(tier.id)}`}>
              <TierFields tier={tier} />
              <button type="submit">Save tier</button>
            </form>
            <form method="post" action={`/admin/tiers/${encodeURIComponent(tier.id)}/active`}>
              <input type="hidden" name="active" value={tier.active ? 'false' : 'true'} />
              <p>
                <button type="submit" class={tier.active ? 'danger' : 'secondary'}>
                  {tier.active ? 'Deactivate' : 'Activate'}
                </button>
              </p>
            </form>
          </section>
        ))}
      </div>
      <section class="panel" aria-labelledby="new-tier-h">
        <h2 id="new-tier-h">New tier</h2>
        <form method="post" action="/admin/tiers">
          <TierFields tier={null} />
          <button type="submit">Create tier</button>
        </form>
      </section>
    </div>
  </Page>
)

export const EditorsPage: FC<{
  actor: Actor
  editors: EditorRow[]
  next: string | null
  created?: { name: string; token: string } | undefined
  error?: string | undefined
}> = ({ actor, editors, next, created, error }) => (
  <Page title="Editors" actor={actor} current="editors">
    <h1>Editors</h1>
    <Alert message={error} />
    {created && (
      <div class="notice" role="status">
        <p>
          <b>{created.name}</b>’s token, shown this once: give it to them through your password
          manager. Only its hash is kept.
        </p>
        <p class="token">{created.token}</p>
      </div>
    )}
    <div class="split">
      <div class="list">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span class="muted">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {editors.map((editor) => (
              <tr>
                <td>{editor.name}</td>
                <td>{editor.email}</td>
                <td>{editor.role}</td>
                <td class="muted">{when(editor.created_at)}</td>
                <td>
                  <form
                    method="post"
                    action={`/admin/editors/${encodeURIComponent(editor.id)}/revoke`}
                    data-confirm={`Revoke ${editor.name}’s token? Their sessions end at once.`}
                  >
                    <button type="submit" class="danger" aria-label={`Revoke ${editor.name}`}>
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <NextPage href={next} />
      </div>
      <section class="panel" aria-labelledby="new-editor-h">
        <h2 id="new-editor-h">New editor</h2>
        <form method="post" action="/admin/editors">
          <div class="field">
            <label for="editor-name">Name</label>
            <input id="editor-name" type="text" name="name" maxlength={100} required />
          </div>
          <div class="field">
            <label for="editor-email">Email</label>
            <input id="editor-email" type="email" name="email" maxlength={254} required />
          </div>
          <div class="field">
            <label for="editor-role">Role</label>
            <Select id="editor-role" name="role" values={pairs(ROLES)} selected="editor" />
          </div>
          <button type="submit">Create editor</button>
        </form>
      </section>
    </div>
  </Page>
)
