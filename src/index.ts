import { createApp } from './app'
import type { Env } from './env'
import { purgeExpired } from './http/store'
import { purgeSupportFacts } from './support/purge'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await purgeExpired(env.DB, controller.scheduledTime)
    await purgeSupportFacts(env.DB, controller.scheduledTime)
  },
} satisfies ExportedHandler<Env>
