import { escapeHtml } from '../http/html'

export const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self' https://challenges.cloudflare.com",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  'frame-src https://challenges.cloudflare.com',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * A sample article (our own text) with the widget: a report link, its corrections box, patron
 * buttons with the supporters' goal, and the link to the corrections log.
 */
export function demoPage(url: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Riverside library reopens after two-year renovation — The Harbour Ledger</title>
<link rel="canonical" href="${escapeHtml(url)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/demo.css">
<script src="/widget.js" defer></script>
</head><body>
<header class="masthead"><span class="paper">The Harbour Ledger</span><span class="tag">readerdesk demo</span></header>
<main>
<article>
<p class="kicker">City</p>
<h1>Riverside library reopens after two-year renovation</h1>
<p class="byline">By Marta Okafor · 27 November 2026</p>
<p>The Riverside branch libary reopened on Saturday morning, two years after a burst pipe flooded its
reading room and forced the city to close the building. More than 400 residents queued before the
doors opened at nine.</p>
<p>The renovation cost 3.2 million, most of it paid from the city’s capital fund, and added a
children’s floor, a recording studio and longer opening hours on weekends. “We wanted a place where
people stay all afternoon,” said head librarian Tomás Reyes, who has worked at the branch since 1998.</p>
<p>The council approved the project unanimously in March 2024. Construction began that summer and
was completed three weeks ahead of schedule, according to the city’s public works department.</p>
<p>Residents can renew their cards at the front desk until the end of December without a fee.</p>
<div class="corrections" data-readerdesk="corrections"></div>
<footer class="article-tools">
<p>Spotted an error? Highlight the text and press <kbd>Ctrl</kbd> + <kbd>Enter</kbd>
(<kbd>⌘</kbd> + <kbd>Enter</kbd> on a Mac), or <a href="#" data-readerdesk="report">suggest a correction</a>.
Every correction we publish is in <a href="/corrections">our corrections log</a>.</p>
</footer>
</article>
<section class="support" aria-labelledby="support-title">
<h2 id="support-title">Become a patron</h2>
<p>Independent local news, for the cost of a cup of coffee a month.</p>
<div data-readerdesk="goal"></div>
<p><button type="button" data-readerdesk="support" data-amount="500" data-currency="usd" data-interval="month">☕ $5 a month</button>
<button type="button" data-readerdesk="support" data-amount="2500" data-currency="usd" data-interval="once">Give $25 once</button></p>
</section>
<p class="meta">This page is the demo of <a href="/docs">readerdesk</a>: the API reference is at <a href="/docs">/docs</a>.</p>
</main>
</body></html>`
}

export const DEMO_CSS = `
body{margin:0;background:#fbf9f6;color:#1d1d1d;font:18px/1.65 Georgia,"Times New Roman",serif}
.masthead{display:flex;justify-content:space-between;align-items:center;padding:14px 24px;border-bottom:3px double #222;font-family:system-ui,sans-serif}
.paper{font:700 1.4rem/1 Georgia,serif;letter-spacing:.02em}
.tag{font-size:.8rem;background:#222;color:#fff;padding:2px 8px;border-radius:10px}
main{max-width:680px;margin:0 auto;padding:24px}
.kicker{text-transform:uppercase;letter-spacing:.08em;font:600 .8rem system-ui,sans-serif;color:#c8102e;margin:0}
h1{font-size:2.1rem;line-height:1.2;margin:.2em 0 .3em}
.byline{font:.9rem system-ui,sans-serif;color:#555}
.corrections{margin-top:1.5em}
.article-tools{border-top:1px solid #ddd;margin-top:2em;font:.95rem system-ui,sans-serif;color:#444}
kbd{border:1px solid #bbb;border-bottom-width:2px;border-radius:4px;padding:0 5px;font:.85rem ui-monospace,monospace;background:#fff}
.support{margin:2em 0;padding:16px 20px;background:#1f2a44;color:#fff;border-radius:10px;font-family:system-ui,sans-serif}
.support h2{margin:.2em 0}
.support button{font:600 1rem system-ui,sans-serif;padding:.55em 1em;margin:.2em .4em .2em 0;border:0;border-radius:6px;background:#ffcf5c;color:#1f2a44;cursor:pointer}
.support [role=alert]{color:#ffd0cc !important}
.meta{font:.85rem system-ui,sans-serif;color:#666}
a{color:#1a5fb4}
`
