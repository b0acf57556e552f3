/** An element with its attributes and children. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

/**
 * Opens a shadow root on `host` styled by `css`. A constructed sheet is not an inline style, so
 * a site's strict CSP does not block it, and the site's CSS never reaches inside.
 */
export function shadowOn(host: Element, css: string): ShadowRoot {
  const shadow = host.attachShadow({ mode: 'open' })
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(css)
  shadow.adoptedStyleSheets = [sheet]
  return shadow
}
