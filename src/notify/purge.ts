const DAY_MS = 24 * 60 * 60 * 1000

/** Days a webhook delivery stays in its endpoint's log. */
export const DELIVERY_LOG_DAYS = 30

/** The hourly job: webhook deliveries older than the log keeps. */
export async function purgeDeliveries(db: D1Database, now: number): Promise<void> {
  const cutoff = new Date(now - DELIVERY_LOG_DAYS * DAY_MS).toISOString()
  await db.prepare('DELETE FROM webhook_deliveries WHERE at < ?').bind(cutoff).run()
}
