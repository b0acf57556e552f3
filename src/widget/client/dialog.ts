import { post } from './api'
import { articleUrl, codePoints } from './context'
import { strings } from './i18n'
import { STYLES } from './styles'

export interface WidgetConfig {
  api: string
  turnstileSiteKey: string | null
  language: string
}

export interface Selection {
  quote: string
  before: string
  after: string
}

declare global {
  interface Window {
    turnstile?: {
      render(element: Element, options: Record<string, unknown>): string
      reset(id?: string): void
    }
  }
}

const KINDS = ['typo', 'factual', 'clarification', 'translation', 'other'] as const
const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit'

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

function field(id: string, label: string, control: HTMLElement): Node[] {
  control.id = id
  return [element('label', { for: id }, label), control]
}

let host: HTMLElement | null = null
let captcha: { token: string | null; widget: string | null; slot: HTMLElement } | null = null

/** The element whose open shadow root holds the dialog; made once, on first use. */
function root(): ShadowRoot {
  if (host?.shadowRoot) return host.shadowRoot
  host = document.createElement('readerdesk-dialog')
  host.setAttribute('data-readerdesk-root', '')
  // Inline !important beats any site stylesheet, so the host cannot be hidden or shrunk.
  host.style.setProperty('all', 'initial', 'important')
  host.style.setProperty('display', 'contents', 'important')
  const shadow = host.attachShadow({ mode: 'open' })
  // A constructed sheet is not an inline style, so a site's strict CSP does not block it.
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(STYLES)
  shadow.adoptedStyleSheets = [sheet]
  document.body.append(host)
  return shadow
}

function loadTurnstile(siteKey: string, t: ReturnType<typeof strings>): HTMLElement {
  if (!captcha) {
    const slot = element('div', { slot: 'captcha', 'aria-label': t.title })
    captcha = { token: null, widget: null, slot }
    const render = () => {
      if (!captcha || !window.turnstile || captcha.widget) return
      captcha.widget = window.turnstile.render(slot, {
        sitekey: siteKey,
        callback: (token: string) => captcha && (captcha.token = token),
        'expired-callback': () => captcha && (captcha.token = null),
      })
    }
    if (window.turnstile) render()
    else
      document.head.append(
        Object.assign(element('script', { src: TURNSTILE_SCRIPT, async: '' }), { onload: render }),
      )
  }
  host?.append(captcha.slot)
  return element('slot', { name: 'captcha' })
}

function focusables(dialog: HTMLDialogElement): HTMLElement[] {
  return [
    ...dialog.querySelectorAll<HTMLElement>(
      'a[href],button,select,textarea,input:not([tabindex="-1"])',
    ),
  ].filter((node) => !(node as HTMLButtonElement).disabled)
}

/** Opens the report dialog; `selection` is absent when opened from a report link. */
export function openDialog(config: WidgetConfig, selection: Selection | null): void {
  const t = strings(config.language)
  const shadow = root()
  shadow.querySelector('dialog')?.remove()
  const previous = document.activeElement as HTMLElement | null
  const quote = selection?.quote ?? ''
  const kind = element(
    'select',
    { name: 'kind' },
    ...KINDS.map((value) => element('option', { value }, t.kinds[value])),
  )
  kind.value = quote ? 'typo' : 'other'
  const alert = element('div', { role: 'alert', 'aria-live': 'assertive' })
  const submit = element('button', { type: 'submit' }, t.send)
  const cancel = element('button', { type: 'button' }, t.cancel)
  const form = element(
    'form',
    { novalidate: '' },
    ...field('rd-kind', t.kind, kind),
    ...field(
      'rd-suggestion',
      t.suggestion,
      element('textarea', { name: 'suggestion', maxlength: '2000' }),
    ),
    ...field('rd-comment', t.comment, element('textarea', { name: 'comment', maxlength: '2000' })),
    ...field(
      'rd-email',
      t.email,
      element('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: '254' }),
    ),
    element(
      'div',
      { class: 'trap', 'aria-hidden': 'true' },
      ...field(
        'rd-website',
        t.honeypot,
        element('input', { name: 'website', tabindex: '-1', autocomplete: 'off' }),
      ),
    ),
    ...(config.turnstileSiteKey ? [loadTurnstile(config.turnstileSiteKey, t)] : []),
    alert,
    element('div', { class: 'actions' }, cancel, submit),
  )
  const dialog = element(
    'dialog',
    { 'aria-labelledby': 'rd-title', lang: config.language },
    element('h2', { id: 'rd-title' }, t.title),
    ...(quote
      ? [
          element(
            'figure',
            {},
            element('figcaption', {}, t.selected),
            element('blockquote', {}, quote),
          ),
        ]
      : []),
    form,
  )
  shadow.append(dialog)

  const close = () => {
    dialog.close()
    dialog.remove()
    previous?.focus()
  }
  cancel.addEventListener('click', close)
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    close()
  })
  dialog.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault()
      close()
    }
    if (event.key !== 'Tab') return
    const items = focusables(dialog)
    const index = items.indexOf(shadow.activeElement as HTMLElement)
    const next = event.shiftKey
      ? index <= 0
        ? items.length - 1
        : index - 1
      : (index + 1) % items.length
    event.preventDefault()
    items[next]?.focus()
  })

  // One key per report, kept across retries so a lost answer is never stored twice.
  const idempotencyKey = crypto.randomUUID()
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const data = new FormData(form)
    const text = (name: string) => String(data.get(name) ?? '').trim() || undefined
    if (!quote && !text('comment')) {
      alert.textContent = t.needComment
      return
    }
    alert.textContent = ''
    submit.disabled = true
    submit.textContent = t.sending
    const result = await post(
      `${config.api}/v1/reports`,
      {
        url: articleUrl(),
        quote: quote || undefined,
        context_before: selection?.before || undefined,
        context_after: selection?.after || undefined,
        suggestion: text('suggestion'),
        comment: text('comment'),
        kind: data.get('kind'),
        title: codePoints(document.title.trim(), 300) || undefined,
        lang: document.documentElement.lang || undefined,
        email: text('email'),
        website: String(data.get('website') ?? ''),
        turnstile_token: captcha?.token ?? undefined,
      },
      { 'Idempotency-Key': idempotencyKey },
      t.network,
    )
    submit.disabled = false
    submit.textContent = t.send
    if (!result.ok) {
      alert.textContent = result.detail
      if (captcha?.widget) window.turnstile?.reset(captcha.widget)
      return
    }
    const done = element('button', { type: 'button' }, t.close)
    done.addEventListener('click', close)
    form.replaceWith(
      element(
        'div',
        { role: 'status' },
        element('p', {}, t.thanks),
        element(
          'p',
          {},
          element(
            'a',
            { href: result.data.status_url ?? '', target: '_blank', rel: 'noopener' },
            t.follow,
          ),
        ),
        element('div', { class: 'actions' }, done),
      ),
    )
    done.focus()
  })

  dialog.showModal()
  ;(form.querySelector(quote ? '#rd-suggestion' : '#rd-comment') as HTMLElement | null)?.focus()
}
