import { readFile } from 'node:fs/promises'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { outboundToFakes } from './test/helpers/fake-services.ts'
import { STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, TURNSTILE_SECRET } from './test/helpers/fakes.ts'

/** Loads packages without their sourcemaps, which name sources the packages do not ship. */
const withoutSourcemaps = {
  name: 'without-sourcemaps',
  enforce: 'pre' as const,
  async load(id: string) {
    if (!/\/node_modules\/(stripe|standardwebhooks)\/.*\.js$/.test(id)) return null
    return (await readFile(id, 'utf8')).replace(/^\/\/# sourceMappingURL=.*$/m, '')
  },
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations')
  return {
    test: {
      // Every request logs one access line (test/ops/logs.test.ts checks them); keep them out of
      // the test output.
      onConsoleLog: (log: string) => !log.includes('"message":"request"'),
      projects: [
        {
          // The Worker itself, in workerd, against a real local D1 with the real migrations.
          plugins: [
            withoutSourcemaps,
            cloudflareTest(({ inject }) => {
              const fakes = inject('fakeServicesUrl')
              const fakeStripe = inject('fakeStripeUrl')
              const fakeHooks = inject('fakeHooksUrl')
              return {
                wrangler: { configPath: './wrangler.toml' },
                miniflare: {
                  // A second database, migrated step by step by the tests of a migration's backfill.
                  d1Databases: ['PREVIOUS_DB'],
                  // Every request the Worker sends: Slack's webhooks to the fake receiver, the rest
                  // on to where it was going.
                  outboundService: outboundToFakes(fakeHooks),
                  bindings: {
                    TEST_MIGRATIONS: migrations,
                    TEST_TURNSTILE_SECRET: TURNSTILE_SECRET,
                    ALLOWED_ORIGINS: 'https://news.example,https://www.news.example',
                    ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
                    IP_HASH_SALT: 'test-salt',
                    TURNSTILE_VERIFY_URL: `${fakes}/turnstile/v0/siteverify`,
                    STRIPE_API_BASE: fakeStripe,
                    STRIPE_SECRET_KEY,
                    STRIPE_WEBHOOK_SECRET,
                    SUPPORT_SUCCESS_URL: 'https://news.example/support/thanks',
                    SUPPORT_CANCEL_URL: 'https://news.example/support',
                    // Readers' emails go to the local send_email binding (test/notify/).
                    EMAIL_FROM: 'desk@news.example',
                    FAKE_SERVICES_URL: fakes,
                    FAKE_STRIPE_URL: fakeStripe,
                    FAKE_HOOKS_URL: fakeHooks,
                  },
                },
              }
            }),
          ],
          test: {
            name: 'worker',
            include: ['test/**/*.test.ts'],
            exclude: ['test/browser/**', 'test/contract/**'],
            globalSetup: ['./test/helpers/fake-services.ts'],
            setupFiles: ['./test/helpers/setup.ts'],
          },
        },
        {
          // /openapi.json held against the built Worker's answers, validated in Node (ajv).
          test: {
            name: 'contract',
            include: ['test/contract/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
          },
        },
        {
          // The widget in headless Chromium, against the built Worker served on 127.0.0.1.
          test: {
            name: 'browser',
            include: ['test/browser/**/*.test.ts'],
            environment: 'node',
            // Finds Debian's Chromium, installs it when it can, or skips these tests saying why.
            globalSetup: ['./test/browser/chromium.ts'],
            testTimeout: 30_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }
})
