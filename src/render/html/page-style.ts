// The HTML export's stylesheet, inlined into the page. Light and dark follow the reader's system;
// service colours are the terminal's (set per element by the script), red is only for errors.
export const PAGE_STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d2330; --dim: #6b7280; --line: #e5e7eb; --row-hover: #f3f4f6;
  --selected: #dbeafe; --err: #d1242f; --warn: #b7791f; --match: #fff3bf; --panel: #f9fafb; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #14161b; --fg: #e6e6e6; --dim: #9aa0aa; --line: #2b2f38; --row-hover: #1e222a; --selected: #1e3a5f;
    --err: #ff6b6b; --warn: #f0b429; --match: #4a3f10; --panel: #1a1d23; }
}
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { background: var(--bg); color: var(--fg); font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  display: grid; grid-template-rows: auto auto 1fr; grid-template-columns: minmax(0, 1fr) minmax(280px, 32%); }
header { grid-column: 1 / 3; padding: 8px 12px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
header h1 { font-size: 14px; margin: 0; font-weight: 600; }
header .summary { color: var(--dim); }
header .errors { color: var(--err); font-weight: 600; }
.tools { display: flex; gap: 6px; align-items: center; margin-left: auto; flex-wrap: wrap; }
.tools input { font: inherit; padding: 3px 6px; width: 18em; border: 1px solid var(--line); border-radius: 4px; background: var(--bg); color: var(--fg); }
.tools button { font: inherit; padding: 2px 8px; border: 1px solid var(--line); border-radius: 4px; background: var(--panel); color: var(--fg); cursor: pointer; }
.tools button:disabled { opacity: .4; cursor: default; }
#match-count, #shown-count { color: var(--dim); }
.legend { grid-column: 1 / 3; padding: 4px 12px; border-bottom: 1px solid var(--line); display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; }
.legend .chip { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
.legend .key { color: var(--dim); }
.waterfall { display: grid; grid-template-rows: auto 1fr; min-height: 0; border-right: 1px solid var(--line); }
.axis { display: grid; grid-template-columns: var(--label-width) 1fr; border-bottom: 1px solid var(--line); color: var(--dim); }
.axis .ticks { position: relative; height: 20px; }
.axis .tick { position: absolute; top: 2px; transform: translateX(-50%); white-space: nowrap; }
.axis .tick:first-child { transform: none; }
.axis .tick:last-child { transform: translateX(-100%); }
#rows { overflow: auto; position: relative; min-height: 0; --label-width: 45%; }
.waterfall { --label-width: 45%; }
#spacer { position: relative; }
.row { position: absolute; left: 0; right: 0; height: 24px; display: grid; grid-template-columns: var(--label-width) 1fr; cursor: pointer; border-bottom: 1px solid transparent; }
.row:hover { background: var(--row-hover); }
.row.selected { background: var(--selected); }
.row.origin { box-shadow: inset 3px 0 0 var(--err); }
.row.match { background: var(--match); }
.row.no-match { opacity: .45; }
.label { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; display: flex; gap: 6px; align-items: center; }
.label > * { flex: none; }
.label .name { flex: 0 1 auto; overflow: hidden; text-overflow: ellipsis; }
.row.error .name { color: var(--err); }
.toggle { width: 16px; padding: 0; border: 0; background: none; color: var(--dim); font: inherit; cursor: pointer; }
.service { font-weight: 600; }
.status { color: var(--dim); }
.row.error .status { color: var(--err); }
.mark.err, .mark.origin-mark { color: var(--err); font-weight: 600; }
.mark.warn { color: var(--warn); }
.mark.dim { color: var(--dim); }
.lane { position: relative; border-left: 1px solid var(--line); }
.bar { position: absolute; top: 6px; height: 12px; border-radius: 2px; opacity: .85; }
.critical-line { position: absolute; top: 11px; height: 2px; background: var(--fg); }
.row.error .bar { outline: 2px solid var(--err); outline-offset: 1px; }
body.show-critical .row:not(.critical) { opacity: .35; }
.duration { position: absolute; top: 3px; padding: 0 6px; color: var(--dim); white-space: nowrap; }
.duration.inside { left: 4px; color: var(--fg); }
#details { overflow: auto; padding: 8px 12px; background: var(--panel); min-height: 0; }
#details h2 { font-size: 14px; margin: 4px 0 8px; overflow-wrap: anywhere; }
#details h3 { font-size: 13px; margin: 12px 0 4px; color: var(--dim); }
#details .hint { color: var(--dim); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 0; }
dt { color: var(--dim); }
dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.logs { list-style: none; padding: 0; margin: 0; }
.log { border-top: 1px solid var(--line); padding: 4px 0; }
.log-line { display: flex; gap: 8px; }
.log-line .offset { color: var(--dim); flex: none; }
.log-line .level { flex: none; width: 5ch; }
.log-line .message { overflow-wrap: anywhere; white-space: pre-wrap; }
.level-error .level, .level-fatal .level, .log-error { color: var(--err); }
.level-warn .level { color: var(--warn); }
.log .fields { margin: 2px 0 0 2ch; font-size: 12px; }
.stack { margin: 2px 0 0 2ch; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; color: var(--err); }
.warning-line { flex-basis: 100%; color: var(--warn); }
`;
