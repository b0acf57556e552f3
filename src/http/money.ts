/** An amount in minor units as people read it (`$5.00`, `€12.00`). */
export function money(amount: number | null, currency: string | null): string {
  if (amount === null || !currency) return '—'
  try {
    const format = new Intl.NumberFormat('en', { style: 'currency', currency })
    return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2))
  } catch {
    return `${amount} ${currency}`
  }
}
