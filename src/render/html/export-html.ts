import { createHash } from 'node:crypto';
import type { CriticalSection } from '../../analyse/critical-path.js';
import type { Trace } from '../../types.js';
import { pageData, type PageData } from './page-data.js';
import { pageScript } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/**
 * `show --format html`: one self-contained page, a waterfall like Jaeger's. Everything is inline
 * (style, script, data), and a Content-Security-Policy allows nothing else: no network, no other
 * script, not even one that log text might smuggle in. The trace travels as JSON in a data block
 * the browser never runs; the page's script turns it into text nodes.
 */
export function renderHtml(trace: Trace, critical: readonly CriticalSection[]): string {
  const data = pageData(trace, critical);
  const script = `(${pageScript.toString()})();`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(PAGE_STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>trace ${escapeHtml(data.traceId)} · mcp-trace</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
${header(data)}
<div class="waterfall">
  <div class="axis"><div></div><div class="ticks">${data.ticks.map((t, i) => `<span class="tick" data-left="${i * 25}">${escapeHtml(t)}</span>`).join('')}</div></div>
  <div id="rows"><div id="spacer"></div></div>
</div>
<aside id="details" aria-live="polite"></aside>
<script type="application/json" id="trace-data">${jsonForScriptBlock(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

function header(data: PageData): string {
  const errors = data.errorCount > 0 ? ` · <span class="errors">${data.errorCount} error${data.errorCount === 1 ? '' : 's'}</span>` : '';
  const legend = data.services
    .map((s) => `<span><span class="chip" data-colour="${escapeHtml(s.colour)}"></span>${escapeHtml(s.name)}</span>`)
    .join('');
  const warnings = data.warnings.map((w) => `<div class="warning-line">⚠ ${escapeHtml(w)}</div>`).join('');
  return `<header>
  <h1>trace ${escapeHtml(data.traceId)}</h1>
  <span class="summary">${escapeHtml(data.duration)} · ${data.spans.length} spans · ${data.services.length} services${errors} · started ${escapeHtml(data.start)}</span>
  <div class="tools">
    <input id="search" type="search" placeholder="search service, name, message, fields ( / )" aria-label="search spans">
    <span id="match-count"></span>
    <button id="prev-match" title="previous match (Shift+Enter)">▲</button><button id="next-match" title="next match (Enter)">▼</button>
    <button id="expand-all">expand all</button><button id="collapse-all">collapse all</button>
    <button id="goto-origin" title="jump to the error origin (e)">error origin</button>
    <button id="toggle-critical" title="dim what is off the critical path">critical path</button>
    <span id="shown-count"></span>
  </div>
</header>
<div class="legend">${legend}<span class="key">dark line: the critical path · red outline: failed · ◀ error origin · ~ inferred parent</span>${warnings}</div>`;
}

/**
 * JSON that cannot end its `<script>` block: `<` is written `\u003c` (no `</script>`, no `<!--`),
 * and `>`, `&` and the JavaScript line separators are escaped too. JSON.parse reads it back exactly.
 */
export function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
