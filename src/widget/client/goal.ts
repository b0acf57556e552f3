import { getJson } from './api'
import type { WidgetConfig } from './dialog'
import { element, shadowOn } from './dom'
import { strings } from './i18n'
import { PANEL_STYLES } from './styles'

interface Goal {
  kind: 'supporters' | 'monthly'
  target: number
  current: number
  currency: string | null
}

/** Formats a count, or an amount in minor units as money in `currency`. */
function formatter(language: string, currency: string | null): (n: number) => string {
  if (!currency) return (n) => new Intl.NumberFormat(language).format(n)
  const options = { style: 'currency', currency } as const
  const digits = new Intl.NumberFormat(language, options).resolvedOptions().maximumFractionDigits
  const unit = 10 ** (digits ?? 2)
  // Whole amounts without ",00": "$2,000 a month" reads better than "$2,000.00 a month".
  return (n) =>
    new Intl.NumberFormat(language, {
      ...options,
      minimumFractionDigits: n % unit ? digits : 0,
    }).format(n / unit)
}

/** Shows the supporters' goal, as text and a progress bar, in each element; nothing without one. */
export async function showGoal(config: WidgetConfig, bars: HTMLElement[]): Promise<void> {
  const goal = await getJson<Goal>(`${config.api}/v1/supporters/goal`)
  const monthly = goal?.kind === 'monthly'
  if (!goal || !(goal.target > 0) || (monthly && !goal.currency)) return
  const t = strings(config.language)
  const format = formatter(config.language, monthly ? goal.currency : null)
  const text = `${format(goal.current)} ${t.of} ${format(goal.target)} ${monthly ? t.perMonth : t.supporters}`
  for (const bar of bars) {
    const fill = element('div')
    fill.style.width = `${Math.min(100, (100 * goal.current) / goal.target)}%`
    shadowOn(bar, PANEL_STYLES).append(
      element(
        'div',
        { class: 'goal', lang: config.language },
        element('p', {}, text),
        element(
          'div',
          {
            role: 'progressbar',
            'aria-label': t.goal,
            'aria-valuemin': '0',
            'aria-valuemax': String(goal.target),
            'aria-valuenow': String(goal.current),
            'aria-valuetext': text,
          },
          fill,
        ),
      ),
    )
  }
}
