/** The admins' tiers page: each tier's form, activation, a new tier. */
import type { FC } from 'hono/jsx'
import type { Actor } from '../http/context'
import { TIER_INTERVALS } from '../support/schemas'
import type { Tier } from '../support/tier-store'
import { Alert, Badge, money, Notice, pairs, Page, Select } from './layout'

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
