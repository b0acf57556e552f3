/** SQL of the tiers readers can support with. */
import type { TierInterval } from './schemas'

interface TierRow {
  id: string
  name: string
  description: string
  amount: number
  currency: string
  interval: TierInterval
  active: number
  created_at: string
  updated_at: string
}

const toTier = (row: TierRow) => ({ ...row, active: row.active === 1 })

export type Tier = ReturnType<typeof toTier>

const TIER_COLUMNS =
  'id, name, description, amount, currency, interval, active, created_at, updated_at'

/** Active tiers, cheapest first, as the public sees them. */
export async function listActiveTiers(db: D1Database) {
  const { results } = await db
    .prepare(
      `SELECT id, name, description, amount, currency, interval FROM tiers
       WHERE active = 1 ORDER BY amount, created_at, id`,
    )
    .all<Omit<TierRow, 'active' | 'created_at' | 'updated_at'>>()
  return results
}

export async function listAllTiers(db: D1Database): Promise<Tier[]> {
  const { results } = await db
    .prepare(`SELECT ${TIER_COLUMNS} FROM tiers ORDER BY created_at, id`)
    .all<TierRow>()
  return results.map(toTier)
}

export async function findTier(db: D1Database, id: string): Promise<Tier | null> {
  const row = await db
    .prepare(`SELECT ${TIER_COLUMNS} FROM tiers WHERE id = ?`)
    .bind(id)
    .first<TierRow>()
  return row ? toTier(row) : null
}

export interface TierFields {
  name: string
  description: string
  amount: number
  currency: string
  interval: TierInterval
  active: boolean
}

export async function insertTier(
  db: D1Database,
  id: string,
  fields: TierFields,
  at: string,
): Promise<Tier> {
  const row = await db
    .prepare(
      `INSERT INTO tiers (id, name, description, amount, currency, interval, active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${TIER_COLUMNS}`,
    )
    .bind(
      id,
      fields.name,
      fields.description,
      fields.amount,
      fields.currency,
      fields.interval,
      fields.active ? 1 : 0,
      at,
      at,
    )
    .first<TierRow>()
  if (!row) throw new Error('the tier insert returned nothing')
  return toTier(row)
}

/** Changes the given fields; `null` when no tier has this id. */
export async function updateTier(
  db: D1Database,
  id: string,
  fields: Partial<TierFields>,
  at: string,
): Promise<Tier | null> {
  const row = await db
    .prepare(
      `UPDATE tiers SET
         name = COALESCE(?2, name), description = COALESCE(?3, description), amount = COALESCE(?4, amount),
         currency = COALESCE(?5, currency), interval = COALESCE(?6, interval), active = COALESCE(?7, active),
         updated_at = ?8
       WHERE id = ?1 RETURNING ${TIER_COLUMNS}`,
    )
    .bind(
      id,
      fields.name ?? null,
      fields.description ?? null,
      fields.amount ?? null,
      fields.currency ?? null,
      fields.interval ?? null,
      fields.active === undefined ? null : fields.active ? 1 : 0,
      at,
    )
    .first<TierRow>()
  return row ? toTier(row) : null
}
