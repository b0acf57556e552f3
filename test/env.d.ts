import type { D1Migration } from '@cloudflare/vitest-plugin'

declare global {
  namespace Cloudflare {
    interface Env {
      TEST_MIGRATIONS: D1Migration[]
      PREVIOUS_DB: D1Database
      TEST_TURNSTILE_SECRET: string
      FAKE_SERVICES_URL: string
      FAKE_STRIPE_URL: string
      FAKE_HOOKS_URL: string
    }
  }
}
