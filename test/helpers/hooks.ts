/** The fake webhook receiver (test/helpers/fake-services.ts), seen from the tests in workerd. */
import { env } from 'cloudflare:workers'
import { slackHookName, type HookRequest, type HookScript } from './fakes'

/** A fresh endpoint on the receiver; the name keeps each test's deliveries apart. */
export function newHook(): { name: string; url: string } {
  const name = `hook-${crypto.randomUUID()}`
  return { name, url: `${env.FAKE_HOOKS_URL}/hooks/${name}` }
}

/** A Slack incoming-webhook URL of its own, and the receiver's name for it. */
export function newSlackHook(): { name: string; url: string } {
  const url = `https://hooks.slack.com/services/T0TEST/B0TEST/${crypto.randomUUID()}`
  return { name: slackHookName(url), url }
}

export async function scriptHook(name: string, script: HookScript): Promise<void> {
  const response = await fetch(`${env.FAKE_HOOKS_URL}/hooks/${name}/script`, {
    method: 'PUT',
    body: JSON.stringify(script),
  })
  if (!response.ok) throw new Error(`scripting ${name}: HTTP ${response.status}`)
  await response.body?.cancel()
}

export async function hookRequests(name: string): Promise<HookRequest[]> {
  return (await fetch(`${env.FAKE_HOOKS_URL}/hooks/${name}/requests`)).json()
}
