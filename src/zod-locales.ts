/**
 * Zod's locales as the Worker bundles them (wrangler.toml `[alias]`): English only. zod's
 * namespace re-exports its forty-odd locales, and @hono/zod-openapi hands that whole namespace
 * to zod-to-openapi, so without this alias every locale is bundled and parsed at every cold
 * start (a quarter of the Worker), although no message of ours comes from them.
 */
export { default as en } from 'zod/v4/locales/en.js'
