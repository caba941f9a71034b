// A terminal screen, as `tmux capture-pane -e -p` prints it (text with SGR colour sequences), as
// HTML: one <span> per run of the same style, in a <pre>. Enough of SGR for what mcp-trace draws:
// bold, dim, italic, underline, inverse, the 16 colours, 256 colours and truecolour.

/** xterm's default 16 colours. */
const BASIC = ['#000000', '#cd0000', '#00cd00', '#cdcd00', '#0000ee', '#cd00cd', '#00cdcd', '#e5e5e5',
  '#7f7f7f', '#ff0000', '#00ff00', '#ffff00', '#5c5cff', '#ff00ff', '#00ffff', '#ffffff'];

export function xterm256(n) {
  if (n < 16) return BASIC[n];
  if (n >= 232) {
    const v = (8 + (n - 232) * 10).toString(16).padStart(2, '0');
    return `#${v}${v}${v}`;
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const i = n - 16;
  return `#${[Math.floor(i / 36), Math.floor(i / 6) % 6, i % 6].map((c) => levels[c].toString(16).padStart(2, '0')).join('')}`;
}

const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function applySgr(style, params) {
  const p = params.length === 0 ? [0] : params;
  for (let i = 0; i < p.length; i++) {
    const code = p[i];
    if (code === 0) Object.assign(style, { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false });
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 7) style.inverse = true;
    else if (code === 22) style.bold = style.dim = false;
    else if (code === 23) style.italic = false;
    else if (code === 24) style.underline = false;
    else if (code === 27) style.inverse = false;
    else if (code >= 30 && code <= 37) style.fg = BASIC[code - 30];
    else if (code >= 90 && code <= 97) style.fg = BASIC[code - 90 + 8];
    else if (code >= 40 && code <= 47) style.bg = BASIC[code - 40];
    else if (code >= 100 && code <= 107) style.bg = BASIC[code - 100 + 8];
    else if (code === 39) style.fg = null;
    else if (code === 49) style.bg = null;
    else if ((code === 38 || code === 48) && p[i + 1] === 5) {
      style[code === 38 ? 'fg' : 'bg'] = xterm256(p[i + 2] ?? 0);
      i += 2;
    } else if ((code === 38 || code === 48) && p[i + 1] === 2) {
      style[code === 38 ? 'fg' : 'bg'] = `rgb(${p[i + 2] ?? 0}, ${p[i + 3] ?? 0}, ${p[i + 4] ?? 0})`;
      i += 4;
    }
  }
}

function css(style, theme) {
  let fg = style.fg ?? theme.fg;
  let bg = style.bg ?? theme.bg;
  if (style.inverse) [fg, bg] = [bg, fg];
  const rules = [`color:${fg}`];
  if (bg !== theme.bg) rules.push(`background:${bg}`);
  if (style.bold) rules.push('font-weight:bold');
  if (style.dim) rules.push('opacity:.6');
  if (style.italic) rules.push('font-style:italic');
  if (style.underline) rules.push('text-decoration:underline');
  return rules.join(';');
}

/** A whole page showing the screen, in a dark terminal's colours. */
export function ansiToHtml(screen, { title = 'terminal', theme = { fg: '#d0d0d0', bg: '#1c1c1c' } } = {}) {
  const style = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false };
  let body = '';
  // Split into SGR sequences and text; any other escape sequence is dropped.
  for (const part of screen.split(/(\x1b\[[0-9;:]*[A-Za-z])/)) {
    const sgr = /^\x1b\[([0-9;:]*)m$/.exec(part);
    if (sgr) applySgr(style, sgr[1] === '' ? [] : sgr[1].split(/[;:]/).map(Number));
    else if (!part.startsWith('\x1b[') && part !== '') body += `<span style="${css(style, theme)}">${escapeHtml(part)}</span>`;
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>
body { margin: 0; background: ${theme.bg}; }
pre { margin: 0; padding: 12px 14px; font: 14px/1.25 "DejaVu Sans Mono", ui-monospace, monospace; color: ${theme.fg}; display: inline-block; }
</style></head><body><pre>${body}</pre></body></html>`;
}
