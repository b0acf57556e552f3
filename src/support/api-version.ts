/** The Stripe API version every request and every webhook payload is read as (stripe 23.1.0's). */
export const STRIPE_API_VERSION = '2026-10-28.endive'
