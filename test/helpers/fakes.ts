/** What the local stand-ins accept; shared by the Node-side fakes and the tests in workerd. */

/** The Turnstile token the stand-in passes; any other token fails. */
export const TURNSTILE_PASS = 'XXXX.DUMMY.TOKEN.PASS'
export const TURNSTILE_SECRET = '1x0000000000000000000000000000000AA'

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

/** The test-mode key the Worker uses and the fake Stripe API accepts. */
export const STRIPE_SECRET_KEY = 'sk_test_readerdesk0000000000000000'
/** The signing secret of the webhook endpoint under test. */
export const STRIPE_WEBHOOK_SECRET = 'whsec_readerdesk0000000000000000000000'
/** A `customer_email` the fake Stripe API refuses, as Stripe refuses a request it finds invalid. */
export const STRIPE_REFUSED_EMAIL = 'refused-by-stripe@example.org'

/** What the fake webhook receiver recorded of one delivery it received. */
export interface HookRequest {
  method: string
  headers: Record<string, string>
  body: string
  /** ISO 8601, when it arrived. */
  at: string
}

/** How the fake webhook receiver answers: one status per call (the last repeats), after a delay. */
export interface HookScript {
  responses?: number[]
  delay_ms?: number
}

/**
 * The fake receiver's name for a Slack incoming-webhook URL: tests cannot reach hooks.slack.com,
 * so the worker project's outbound service sends it to `/hooks/<this name>` on the receiver.
 */
export function slackHookName(url: string): string {
  return `slack${new URL(url).pathname.replace(/[^A-Za-z0-9_-]+/g, '.')}`
}
