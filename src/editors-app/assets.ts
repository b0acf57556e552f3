/**
 * The web app's one stylesheet and one script, served by the Worker itself (no CDN; the CSP
 * allows only 'self'). The palette and type are /docs' (src/ops/docs.ts), denser.
 */
export const APP_CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fafafa}
a{color:#1f5a94}a:hover{color:#0d3c6b}
:focus-visible{outline:2px solid #2f6fb0;outline-offset:2px}
.bar{display:flex;align-items:center;gap:20px;padding:0 20px;height:48px;background:#1d1d1f;color:#f5f5f7}
.brand{font-weight:600;letter-spacing:.01em;color:#fff;text-decoration:none}
.bar nav ul{display:flex;gap:2px;list-style:none;margin:0;padding:0}
.bar nav a{display:block;padding:6px 10px;border-radius:4px;color:#e8e8ed;text-decoration:none}
.bar nav a:hover{background:#333336;color:#fff}
.bar nav a[aria-current=page]{background:#f5f5f7;color:#1d1d1f}
.who{margin-left:auto;display:flex;align-items:center;gap:10px;color:#d2d2d7}
.who button{background:transparent;color:#f5f5f7;border-color:#6e6e73}
main{max-width:1200px;margin:0 auto;padding:20px}
h1{font-size:20px;margin:0 0 14px}h2{font-size:15px;margin:0 0 8px}
.muted{color:#5f5f64}.nowrap{white-space:nowrap}.small{font-size:12px}
.panel{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:14px 16px;margin:0 0 14px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;border-bottom:1px solid #ececec;padding:7px 10px;vertical-align:top}
th{font-size:12px;font-weight:600;color:#5f5f64;background:#f5f5f7;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:hover{background:#f8fafd}
.list{border:1px solid #e2e2e2;border-radius:6px;overflow-x:auto}
.quote{font-weight:500}
.clip{display:block;max-width:290px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
label{display:block;font-size:12px;font-weight:600;color:#3a3a3c;margin:0 0 3px}
input,select,textarea,button{font:inherit;font-size:14px}
input[type=text],input[type=search],input[type=email],input[type=password],input[type=number],select,textarea{width:100%;padding:6px 8px;border:1px solid #a1a1a6;border-radius:4px;background:#fff;color:#1d1d1f}
textarea{min-height:64px;resize:vertical}
button,.button{display:inline-block;padding:6px 12px;border:1px solid #1f5a94;border-radius:4px;background:#1f5a94;color:#fff;cursor:pointer;text-decoration:none;white-space:nowrap}
button:hover,.button:hover{background:#174574;color:#fff}
button.secondary,.button.secondary{background:#fff;color:#1f5a94}
button.secondary:hover,.button.secondary:hover{background:#eef4fb;color:#174574}
button.danger{background:#fff;color:#a1221b;border-color:#a1221b}
.filters{display:flex;flex-wrap:wrap;align-items:flex-end;gap:10px;margin:0 0 14px}
.filters .field{min-width:150px}.filters .grow{flex:1;min-width:220px}
.field{margin:0 0 10px}
.row{display:flex;gap:8px;align-items:flex-end}.row .field{flex:1;margin:0}
.split{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:16px;align-items:start}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;border:1px solid;white-space:nowrap}
.s-new{color:#1f5a94;background:#eaf2fb}.s-triaged{color:#553c9a;background:#f1ecfb}
.s-accepted{color:#7a4900;background:#fdf3e1}.s-fixed{color:#216e33;background:#e7f4ea}
.s-rejected,.s-duplicate{color:#4a4a4f;background:#f0f0f2}.s-spam{color:#a1221b;background:#fbeceb}
.s-active{color:#216e33;background:#e7f4ea}.s-past_due{color:#7a4900;background:#fdf3e1}
.s-canceled,.s-one_time{color:#4a4a4f;background:#f0f0f2}
blockquote{margin:0;padding:10px 14px;border-left:3px solid #2f6fb0;background:#f7f9fc;font-size:15px;line-height:1.6}
mark{background:#fff1b8;color:#1d1d1f;padding:0 2px}
.alert{padding:10px 14px;border-radius:6px;border:1px solid #e5a29e;background:#fcefee;color:#7d1a14;margin:0 0 14px}
.notice{padding:10px 14px;border-radius:6px;border:1px solid #9fd0a9;background:#eef8f0;color:#1d5a2b;margin:0 0 14px}
.token{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;background:#fff;border:1px dashed #a1a1a6;padding:8px;border-radius:4px}
.events{list-style:none;margin:0;padding:0}
.events li{padding:6px 0;border-bottom:1px solid #f0f0f0}
.events li:last-child{border-bottom:0}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0}
dl.facts dt{color:#5f5f64}dl.facts dd{margin:0}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px;margin:0 0 14px}
.figure{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:10px 12px}
.figure b{display:block;font-size:22px;font-variant-numeric:tabular-nums}
.chart{width:100%;height:auto;max-width:820px}
.chart .r{fill:#2f6fb0}.chart .c{fill:#2e8540}.chart text{font-size:11px;fill:#5f5f64}
.chart line{stroke:#d2d2d7}
.key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px}
.key.r{background:#2f6fb0}.key.c{background:#2e8540}
.signin{max-width:380px;margin:10vh auto}
.pager{margin:10px 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em;background:#f1f1f1;padding:0 3px;border-radius:3px}
@media (max-width:900px){.split{grid-template-columns:1fr}.bar{flex-wrap:wrap;height:auto;padding:8px 12px}}
`

/**
 * The progressive enhancement, all of it: a confirmation before what cannot be undone (revoking
 * an editor, publishing a correction). Every form works without it.
 */
export const APP_JS = `document.addEventListener('submit',function(e){var m=e.target.getAttribute('data-confirm');if(m&&!window.confirm(m))e.preventDefault()});
`
