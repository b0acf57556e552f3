import { codePoints, contextOf, inEditable } from './context'
import { showCorrections } from './corrections'
import { openDialog, type WidgetConfig } from './dialog'
import { showGoal } from './goal'
import { pageLanguage } from './i18n'
import { startCheckout } from './support'

/** Set by the Worker when it serves the script. */
declare const __READERDESK_CONFIG__: { turnstileSiteKey: string | null }

const script = document.currentScript as HTMLScriptElement | null
const config: WidgetConfig = {
  api: new URL(script?.src ?? '/', location.href).origin,
  turnstileSiteKey: __READERDESK_CONFIG__.turnstileSiteKey,
  language: pageLanguage(),
}

// Only a page that holds a corrections box or a goal bar makes the request that fills it.
for (const [name, show] of [
  ['corrections', showCorrections],
  ['goal', showGoal],
] as const) {
  const hosts = [...document.querySelectorAll<HTMLElement>(`[data-readerdesk="${name}"]`)]
  if (hosts.length) show(config, hosts).catch(() => {})
}

const fromWidget = (event: Event) =>
  event
    .composedPath()
    .some((node) => node instanceof Element && node.hasAttribute('data-readerdesk-root'))

document.addEventListener('keydown', (event) => {
  if (
    event.key !== 'Enter' ||
    !(event.ctrlKey || event.metaKey) ||
    event.defaultPrevented ||
    fromWidget(event)
  )
    return
  const selection = window.getSelection()
  if (!selection || selection.isCollapsed || !selection.rangeCount) return
  const range = selection.getRangeAt(0)
  if (inEditable(range.commonAncestorContainer) || inEditable(document.activeElement)) return
  const quote = selection.toString().trim()
  if (!quote) return
  event.preventDefault()
  openDialog(config, { quote: codePoints(quote, 1000), ...contextOf(range) })
})

document.addEventListener('click', (event) => {
  const target = (event.target as Element | null)?.closest<HTMLElement>('[data-readerdesk]')
  const action = target?.dataset.readerdesk
  if (!target || (action !== 'report' && action !== 'support')) return
  event.preventDefault()
  if (action === 'report') openDialog(config, null)
  else void startCheckout(config, target)
})
