import { post } from './api'
import { strings } from './i18n'
import type { WidgetConfig } from './dialog'

/** What a patron button asks Checkout for: a tier, or an amount, currency and interval. */
function checkoutBody(button: HTMLElement): Record<string, unknown> {
  const { tier, amount, currency, interval } = button.dataset
  if (tier) return { tier_id: tier }
  return { amount: Number(amount), currency: currency || 'usd', interval: interval || 'once' }
}

function showError(button: HTMLElement, detail: string): void {
  let note = button.nextElementSibling as HTMLElement | null
  if (!note?.hasAttribute('data-readerdesk-error')) {
    note = document.createElement('span')
    note.setAttribute('data-readerdesk-error', '')
    note.setAttribute('role', 'alert')
    note.style.cssText = 'display:inline-block;margin-left:.5em;color:#8c1d18;font:inherit'
    button.after(note)
  }
  note.textContent = detail
}

/** Starts Stripe Checkout for exactly what the button says and sends the browser there. */
export async function startCheckout(config: WidgetConfig, button: HTMLElement): Promise<void> {
  if (button.getAttribute('aria-busy') === 'true') return
  button.setAttribute('aria-busy', 'true')
  const result = await post(
    `${config.api}/v1/checkout`,
    checkoutBody(button),
    {},
    strings(config.language).network,
  )
  button.removeAttribute('aria-busy')
  if (result.ok && result.data.url) location.assign(result.data.url)
  else showError(button, result.ok ? strings(config.language).network : result.detail)
}
