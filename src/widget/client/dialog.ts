import { post } from './api'
import { articleUrl, codePoints } from './context'
import { element, shadowOn } from './dom'
import { strings, type Strings } from './i18n'
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

/** Turnstile's light-DOM container, its widget id and the token it last handed over. */
interface Captcha {
  slot: HTMLElement
  id?: string
  token?: string
}

const KINDS = ['typo', 'factual', 'clarification', 'translation', 'other'] as const
// Every control a reader can Tab to; the honeypot is left out, and so is Send while it sends.
const FOCUSABLE = 'a[href],button:enabled,select,textarea,input:not([tabindex="-1"])'
const TURNSTILE_SCRIPT = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit'

/** What the widget puts on the page once and keeps between dialogs. */
const mounted: { host?: HTMLElement; captcha?: Captcha } = {}

/** A label and its control, tied by the id `rd-<the control's name>`. */
function field(label: string, control: HTMLElement): Node[] {
  control.id = `rd-${control.getAttribute('name')}`
  return [element('label', { for: control.id }, label), control]
}

/** The element whose open shadow root holds the dialog; made once, on first use. */
function root(): ShadowRoot {
  if (mounted.host?.shadowRoot) return mounted.host.shadowRoot
  const host = (mounted.host = document.createElement('readerdesk-dialog'))
  host.setAttribute('data-readerdesk-root', '')
  // Inline !important beats any site stylesheet, so the host cannot be hidden or shrunk.
  host.style.cssText = 'all:initial!important;display:contents!important'
  const shadow = shadowOn(host, STYLES)
  document.body.append(host)
  return shadow
}

/** A slot for Turnstile, which is loaded and rendered once per page in the host's light DOM. */
function captchaSlot(siteKey: string, label: string): HTMLSlotElement {
  if (!mounted.captcha) {
    const captcha: Captcha = { slot: element('div', { slot: 'captcha', 'aria-label': label }) }
    const render = () => {
      captcha.id = window.turnstile?.render(captcha.slot, {
        sitekey: siteKey,
        callback: (token: string) => (captcha.token = token),
        'expired-callback': () => (captcha.token = undefined),
      })
    }
    if (window.turnstile) render()
    else
      document.head.append(
        Object.assign(element('script', { src: TURNSTILE_SCRIPT, async: '' }), { onload: render }),
      )
    mounted.captcha = captcha
  }
  mounted.host?.append(mounted.captcha.slot)
  return element('slot', { name: 'captcha' })
}

/** A button that closes the dialog it sits in. */
function closeButton(label: string): HTMLButtonElement {
  const button = element('button', { type: 'button' }, label)
  button.addEventListener('click', () => button.closest('dialog')?.close())
  return button
}

/** The report form: its fields, the honeypot, Turnstile when configured, the alert, the buttons. */
function buildForm(config: WidgetConfig, t: Strings, quote: string): HTMLFormElement {
  const kind = element(
    'select',
    { name: 'kind' },
    ...KINDS.map((value) => element('option', { value }, t.kinds[value])),
  )
  kind.value = quote ? 'typo' : 'other'
  const textarea = (name: string) => element('textarea', { name, maxlength: '2000' })
  return element(
    'form',
    { novalidate: '' },
    ...field(t.kind, kind),
    ...field(t.suggestion, textarea('suggestion')),
    ...field(t.comment, textarea('comment')),
    ...field(
      t.email,
      element('input', { name: 'email', type: 'email', autocomplete: 'email', maxlength: '254' }),
    ),
    element(
      'div',
      { class: 'trap', 'aria-hidden': 'true' },
      ...field(
        t.honeypot,
        element('input', { name: 'website', tabindex: '-1', autocomplete: 'off' }),
      ),
    ),
    ...(config.turnstileSiteKey ? [captchaSlot(config.turnstileSiteKey, t.title)] : []),
    element('div', { role: 'alert', 'aria-live': 'assertive' }),
    element(
      'div',
      { class: 'actions' },
      closeButton(t.cancel),
      element('button', { type: 'submit' }, t.send),
    ),
  )
}

/** The dialog: its title, the reader's selection when there is one, and the form. */
function buildDialog(language: string, t: Strings, quote: string, form: HTMLFormElement) {
  return element(
    'dialog',
    { 'aria-labelledby': 'rd-title', lang: language },
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
}

/** Tab on the last focusable wraps to the first; Shift+Tab on the first (or dialog) to the last. */
function trapFocus(event: KeyboardEvent, dialog: HTMLDialogElement): void {
  if (event.key !== 'Tab') return
  const items = dialog.querySelectorAll<HTMLElement>(FOCUSABLE)
  const first = items[0]
  const last = items[items.length - 1]
  const active = (dialog.getRootNode() as ShadowRoot).activeElement
  if (!event.shiftKey && active === last) {
    event.preventDefault()
    first?.focus()
  }
  if (event.shiftKey && (active === first || active === dialog)) {
    event.preventDefault()
    last?.focus()
  }
}

/** The report as the API takes it: the selection, the page and what the reader typed. */
function reportBody(form: HTMLFormElement, selection: Selection | null) {
  const data = new FormData(form)
  const text = (name: string) => String(data.get(name) ?? '').trim() || undefined
  return {
    url: articleUrl(),
    quote: selection?.quote || undefined,
    context_before: selection?.before || undefined,
    context_after: selection?.after || undefined,
    suggestion: text('suggestion'),
    comment: text('comment'),
    kind: data.get('kind'),
    title: codePoints(document.title.trim(), 300) || undefined,
    lang: document.documentElement.lang || undefined,
    email: text('email'),
    website: data.get('website'),
    turnstile_token: mounted.captcha?.token,
  }
}

/** Sends the report under its one key; on failure says why and keeps what the reader typed. */
async function send(
  config: WidgetConfig,
  t: Strings,
  form: HTMLFormElement,
  selection: Selection | null,
  key: string,
): Promise<void> {
  const alert = form.querySelector('[role=alert]')!
  const submit = form.querySelector<HTMLButtonElement>('[type=submit]')!
  const body = reportBody(form, selection)
  if (!body.quote && !body.comment) {
    alert.textContent = t.needComment
    return
  }
  alert.textContent = ''
  submit.disabled = true
  submit.textContent = t.sending
  const result = await post(`${config.api}/v1/reports`, body, { 'Idempotency-Key': key }, t.network)
  submit.disabled = false
  submit.textContent = t.send
  if (result.ok) {
    showThanks(form, t, result.data.status_url ?? '')
  } else {
    alert.textContent = result.detail
    if (mounted.captcha?.id) window.turnstile?.reset(mounted.captcha.id)
  }
}

/** Puts thanks and the link to the report's status where the form was. */
function showThanks(form: HTMLFormElement, t: Strings, statusUrl: string): void {
  const done = closeButton(t.close)
  const link = element('a', { href: statusUrl, target: '_blank', rel: 'noopener' }, t.follow)
  form.replaceWith(
    element(
      'div',
      { role: 'status' },
      element('p', {}, t.thanks),
      element('p', {}, link),
      element('div', { class: 'actions' }, done),
    ),
  )
  done.focus()
}

/** Opens the report dialog; `selection` is absent when opened from a report link. */
export function openDialog(config: WidgetConfig, selection: Selection | null): void {
  const t = strings(config.language)
  const shadow = root()
  shadow.querySelector('dialog')?.remove()
  const previous = document.activeElement as HTMLElement | null
  const quote = selection?.quote ?? ''
  const form = buildForm(config, t, quote)
  const dialog = buildDialog(config.language, t, quote, form)
  shadow.append(dialog)
  // However it closes (Cancel, Close, Esc, the browser's own request), it leaves no trace.
  dialog.addEventListener('close', () => {
    dialog.remove()
    previous?.focus()
  })
  dialog.addEventListener('keydown', (event) => trapFocus(event, dialog))
  // One key per report, kept across retries so a lost answer is never stored twice.
  const key = crypto.randomUUID()
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void send(config, t, form, selection, key)
  })
  dialog.showModal()
  form.querySelector<HTMLElement>(quote ? '#rd-suggestion' : '#rd-comment')?.focus()
}
