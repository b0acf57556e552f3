import { createApp } from './app'
import { purgeExpiredSessions } from './editors-app/session-store'
import { loadConfig, type Env } from './env'
import { purgeExpired } from './http/store'
import { purgeDeliveries } from './notify/purge'
import { consumeNotifications } from './notify/consume'
import type { NotifyMessage } from './notify/messages'
import { eraseExpiredReaderData } from './privacy/store'
import { purgeSupportFacts } from './support/purge'
import { catchUpSearch } from './triage/list-store'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await purgeExpired(env.DB, controller.scheduledTime)
    await purgeExpiredSessions(env.DB, controller.scheduledTime)
    await env.DB.batch(catchUpSearch(env.DB))
    await purgeSupportFacts(env.DB, controller.scheduledTime)
    await eraseExpiredReaderData(env.DB, controller.scheduledTime, loadConfig(env).retentionDays)
    await purgeDeliveries(env.DB, controller.scheduledTime)
  },
  queue: (batch, env) => consumeNotifications(batch as MessageBatch<NotifyMessage>, env),
} satisfies ExportedHandler<Env>
