/** CSV that spreadsheets open safely: RFC 4180 quoting and CRLF, formulas defused. */

export type Cell = string | number | null

/** A formula character where a spreadsheet splitting on `;` or tab starts a cell. */
const FORMULA_AFTER_SEPARATOR = /([;\t])(?=[\s"]*[=+\-@])/g

/** A formula character (or a tab or CR) where every spreadsheet starts the cell. */
const FORMULA_START = /^(?:[\s"]*[=+\-@]|[\t\r])/

/**
 * One cell: wherever a spreadsheet reading with `,`, `;` or tab as the separator would start a
 * cell with a formula character (`=`, `+`, `-`, `@`; at the start also a tab or CR), a `'` is
 * put in front, which shows the rest as text (quotes do not protect a spreadsheet that splits
 * on another separator); a cell with a quote, comma or line break is quoted, its quotes
 * doubled. Numbers are written as they are.
 */
export function csvCell(value: Cell): string {
  if (value === null) return ''
  let text = String(value)
  if (typeof value === 'string') {
    text = text.replace(FORMULA_AFTER_SEPARATOR, "$1'")
    if (FORMULA_START.test(text)) text = `'${text}`
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One line: its cells joined by commas, ended by CRLF. */
export const csvLine = (cells: readonly Cell[]) => `${cells.map(csvCell).join(',')}\r\n`

/**
 * A document streamed as its rows are read: the header line, then each page `pages` yields,
 * so a long list never sits in memory whole.
 */
export function csvStream(
  header: readonly string[],
  pages: AsyncIterator<readonly (readonly Cell[])[]>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)))
    },
    async pull(controller) {
      const page = await pages.next()
      if (page.done) controller.close()
      else controller.enqueue(encoder.encode(page.value.map(csvLine).join('')))
    },
  })
}
