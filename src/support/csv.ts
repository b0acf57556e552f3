/** CSV that spreadsheets open safely: RFC 4180 quoting and CRLF, formulas defused. */

export type Cell = string | number | null

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula or command. */
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * One cell: a text that a spreadsheet would run as a formula gets a leading `'`, which shows
 * it as text; a cell with a quote, comma or line break is quoted, its quotes doubled.
 */
export function csvCell(value: Cell): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A whole document: a header line, then one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('')
}
