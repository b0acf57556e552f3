/** The dialog's own CSS; it lives in the shadow root, where the site's CSS cannot reach. */
export const STYLES = `
:host{all:initial}
dialog{box-sizing:border-box;width:min(34em,calc(100vw - 2em));max-height:calc(100vh - 2em);overflow:auto;margin:auto;padding:1.5em;border:0;border-radius:12px;background:#fff;color:#1b1b1b;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;box-shadow:0 12px 48px rgba(0,0,0,.3)}
dialog::backdrop{background:rgba(15,15,20,.55)}
*{box-sizing:border-box;font:inherit;color:inherit}
h2{margin:0 0 1em;font-size:1.25em;font-weight:650}
figure{margin:0 0 1em;padding:.6em .8em;border-left:4px solid #c8102e;background:#faf6f1;border-radius:0 6px 6px 0}
figcaption{font-size:.8em;color:#5c5c5c;margin-bottom:.2em}
blockquote{margin:0;font-style:italic;overflow-wrap:anywhere}
label{display:block;margin:.8em 0 .25em;font-weight:600;font-size:.9em}
select,textarea,input{display:block;width:100%;padding:.5em .6em;border:1px solid #8a8a8a;border-radius:6px;background:#fff}
textarea{min-height:4.5em;resize:vertical}
select:focus,textarea:focus,input:focus,button:focus,a:focus{outline:3px solid #1a5fb4;outline-offset:1px}
.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
[role=alert]{margin-top:.8em;padding:.5em .7em;border-radius:6px;background:#fdecea;color:#8c1d18}
[role=alert]:empty{display:none}
.actions{display:flex;gap:.6em;justify-content:flex-end;margin-top:1.2em}
button{padding:.55em 1.1em;border-radius:6px;border:1px solid #8a8a8a;background:#fff;cursor:pointer;font-weight:600}
button[type=submit]{background:#c8102e;border-color:#c8102e;color:#fff}
button:disabled{opacity:.6;cursor:progress}
a{color:#1a5fb4}
p{margin:0 0 1em}
`

/** The corrections box's and the goal bar's CSS, inside their own shadow roots. */
export const PANEL_STYLES = `
:host{all:initial!important;display:block!important}
section,.goal{box-sizing:border-box;margin:1em 0;padding:.8em 1em;border-radius:6px;background:#faf6f1;color:#1b1b1b;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
section{border-left:4px solid #c8102e;border-radius:0 6px 6px 0}
h2{margin:0 0 .3em;font-size:1em;font-weight:650}
ol{margin:0;padding:0;list-style:none}
li{margin:.5em 0 0}
b{font-weight:650}
time{margin-left:.4em;color:#5c5c5c;font-size:.9em}
p{margin:.1em 0 0;overflow-wrap:anywhere}
.goal p{margin:0 0 .4em;font-weight:600}
[role=progressbar]{height:.7em;border-radius:1em;background:#e2dcd3;overflow:hidden}
[role=progressbar] div{height:100%;background:#c8102e}
`
