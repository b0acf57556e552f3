import type { Config } from '../env'
import { ApiError } from './problem'

interface SiteverifyAnswer {
  success?: boolean
}

/**
 * Checks a Turnstile token with siteverify when TURNSTILE_SECRET_KEY is set; does nothing
 * otherwise. An unreachable siteverify fails closed: a captcha we cannot check is not passed.
 */
export async function verifyTurnstile(
  config: Config,
  token: string | undefined,
  ip: string | undefined,
): Promise<void> {
  const secret = config.turnstile.secretKey
  if (!secret) return
  if (!token)
    throw new ApiError('captcha_failed', 'Complete the captcha and send its turnstile_token.')
  const form = new FormData()
  form.set('secret', secret)
  form.set('response', token)
  if (ip) form.set('remoteip', ip)
  let answer: SiteverifyAnswer = {}
  try {
    const response = await fetch(config.turnstile.verifyUrl, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(5000),
    })
    if (response.ok) answer = await response.json<SiteverifyAnswer>()
  } catch (error) {
    console.warn(
      JSON.stringify({ level: 'warn', message: 'siteverify unreachable', cause: String(error) }),
    )
  }
  if (answer.success !== true)
    throw new ApiError('captcha_failed', 'The captcha could not be verified; try again.')
}
