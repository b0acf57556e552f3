import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { TURNSTILE_SECRET } from './test/helpers/fakes.ts'

export default defineConfig(async () => {
  const migrations = await readD1Migrations('migrations')
  return {
    plugins: [
      cloudflareTest(({ inject }) => {
        const fakes = inject('fakeServicesUrl')
        return {
          wrangler: { configPath: './wrangler.toml' },
          miniflare: {
            bindings: {
              TEST_MIGRATIONS: migrations,
              TEST_TURNSTILE_SECRET: TURNSTILE_SECRET,
              ALLOWED_ORIGINS: 'https://news.example,https://www.news.example',
              ADMIN_TOKEN: 'test-admin-token-0123456789abcdef',
              IP_HASH_SALT: 'test-salt',
              TURNSTILE_VERIFY_URL: `${fakes}/turnstile/v0/siteverify`,
              STRIPE_API_BASE: fakes,
              FAKE_SERVICES_URL: fakes,
            },
          },
        }
      }),
    ],
    test: {
      globalSetup: ['./test/helpers/fake-services.ts'],
      setupFiles: ['./test/helpers/setup.ts'],
    },
  }
})
