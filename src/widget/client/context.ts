const BLOCKS =
  'p,li,blockquote,h1,h2,h3,h4,h5,h6,td,th,dd,dt,figcaption,pre,article,section,main,div'
const CONTEXT = 300

const collapse = (text: string) => text.replace(/\s+/g, ' ')

const elementOf = (node: Node): Element | null =>
  node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement

function blockOf(node: Node): Element {
  return elementOf(node)?.closest(BLOCKS) ?? document.body
}

/** At most `n` code points of `text`, from its end when `fromEnd`. */
export function codePoints(text: string, n: number, fromEnd = false): string {
  const points = Array.from(text)
  return (fromEnd ? points.slice(-n) : points.slice(0, n)).join('')
}

/** Up to 300 code points on each side of the selection, from the text of its block. */
export function contextOf(range: Range): { before: string; after: string } {
  const before = document.createRange()
  const startBlock = blockOf(range.startContainer)
  before.setStart(startBlock, 0)
  before.setEnd(range.startContainer, range.startOffset)
  const after = document.createRange()
  const endBlock = blockOf(range.endContainer)
  after.setStart(range.endContainer, range.endOffset)
  after.setEnd(endBlock, endBlock.childNodes.length)
  return {
    before: codePoints(collapse(before.toString()).trimStart(), CONTEXT, true),
    after: codePoints(collapse(after.toString()).trimEnd(), CONTEXT),
  }
}

/** Whether a node sits in a form field or editable region of the site's own. */
export function inEditable(node: Node | null): boolean {
  const element = node && elementOf(node)
  return Boolean(
    element?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]'),
  )
}

/** The article's address: its canonical link if it has one, else the page's. */
export function articleUrl(): string {
  const canonical = document.querySelector<HTMLLinkElement>('link[rel="canonical"][href]')
  return canonical?.href || location.href
}
