/// <reference lib="dom" />
// The HTML export's own script. It runs in the browser, not in Node: export-html.ts writes this
// function's source into the page (Function.prototype.toString), so it must use nothing from
// outside its body. The DOM types above are for this file; Node code has no `document` to call.
//
// Log text arrives as data (a JSON block) and only ever becomes text nodes (textContent), never
// markup. The waterfall is virtualised: only the rows in view exist in the DOM, so 10 000 spans
// scroll as lightly as 10.
import type { PageData, PageLog, PageSpan } from './page-data.js';

export function pageScript(): void {
  const ROW_HEIGHT = 24;
  /** Rows drawn above and below the visible ones, so a fast scroll shows no gap. */
  const OVERSCAN = 12;
  const data = JSON.parse(document.getElementById('trace-data')!.textContent!) as PageData;
  const spans = data.spans;
  const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
  const scroller = $('rows');
  const spacer = $('spacer');
  const details = $('details');
  const searchBox = $<HTMLInputElement>('search');
  const matchCount = $('match-count');

  // Which spans have children, and the subtree end of each (spans are depth-first).
  const hasChildren = spans.map(() => false);
  const subtreeEnd = spans.map((_, i) => i + 1);
  for (let i = spans.length - 1; i >= 0; i--) {
    const p = spans[i]!.parent;
    if (p >= 0) {
      hasChildren[p] = true;
      subtreeEnd[p] = Math.max(subtreeEnd[p]!, subtreeEnd[i]!);
    }
  }
  const collapsed = new Set<number>();
  let visible: number[] = [];
  let selected = -1;
  let hovered = -1;
  let matches: number[] = [];
  let matchSet = new Set<number>();
  let haystacks: string[] | null = null;
  /** The query the matches are for. */
  let searched = '';

  function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function computeVisible(): void {
    visible = [];
    for (let i = 0; i < spans.length; i++) {
      visible.push(i);
      if (collapsed.has(i)) i = subtreeEnd[i]! - 1;
    }
    spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    $('shown-count').textContent = `${visible.length} of ${spans.length} spans shown`;
  }

  function renderRows(): void {
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const fragment = document.createDocumentFragment();
    for (let v = first; v < last; v++) fragment.appendChild(row(visible[v]!, v));
    spacer.replaceChildren(fragment);
  }

  function row(i: number, position: number): HTMLElement {
    const span = spans[i]!;
    const service = data.services[span.service]!;
    const classes = ['row'];
    if (span.error) classes.push('error');
    else if (span.warning) classes.push('warning');
    if (span.errorOrigin) classes.push('origin');
    if (span.critical) classes.push('critical');
    if (i === selected) classes.push('selected');
    if (searched !== '') classes.push(matchSet.has(i) ? 'match' : 'no-match');
    const r = el('div', classes.join(' '));
    r.dataset.index = String(i);
    r.style.top = `${position * ROW_HEIGHT}px`;
    const label = el('div', 'label');
    label.style.paddingLeft = `${4 + span.depth * 14}px`;
    const toggle = el('button', 'toggle', hasChildren[i] ? (collapsed.has(i) ? '▸' : '▾') : '');
    toggle.tabIndex = -1;
    if (!hasChildren[i]) toggle.disabled = true;
    label.append(toggle);
    const svc = el('span', 'service', service.name);
    svc.style.color = service.colour;
    label.append(svc, el('span', 'name', `${span.inferredBy ? '~ ' : ''}${span.name || span.id}`));
    if (span.placeholder) label.append(el('span', 'mark dim', '(never logged)'));
    if (span.status) label.append(el('span', 'status', span.status));
    if (span.error) label.append(el('span', 'mark err', '✖'));
    else if (span.warning) label.append(el('span', 'mark warn', '⚠'));
    if (span.errorOrigin) label.append(el('span', 'mark origin-mark', '◀ error origin'));
    if (span.skew) label.append(el('span', 'mark warn', `⇆ ${span.skew} clock skew`));
    if (span.outlivesParent) label.append(el('span', 'mark warn', '↷ outlived caller'));
    const lane = el('div', 'lane');
    const bar = el('div', 'bar');
    bar.style.left = `${span.left * 100}%`;
    bar.style.width = `max(2px, ${span.width * 100}%)`;
    bar.style.background = service.colour;
    // The critical path is a dark line over the bar, where the span was what the trace waited on.
    for (const [left, width] of span.criticalSections) {
      const stretch = el('div', 'critical-line');
      stretch.style.left = `${left * 100}%`;
      stretch.style.width = `max(1px, ${width * 100}%)`;
      lane.append(stretch);
    }
    // The duration goes after the bar, or before it when the bar reaches the right edge.
    const duration = el('span', 'duration', span.duration);
    if (span.left + span.width <= 0.85) duration.style.left = `${(span.left + span.width) * 100}%`;
    else if (span.left >= 0.15) duration.style.right = `${(1 - span.left) * 100}%`;
    else duration.classList.add('inside');
    lane.append(bar, duration);
    r.append(label, lane);
    r.title = `${service.name} ${span.name} · ${span.duration}${span.status ? ` · ${span.status}` : ''}`;
    return r;
  }

  function redraw(): void {
    computeVisible();
    renderRows();
  }

  function toggle(i: number, open?: boolean): void {
    if (!hasChildren[i]) return;
    const close = open === undefined ? !collapsed.has(i) : !open;
    if (close) collapsed.add(i);
    else collapsed.delete(i);
    redraw();
  }

  /** Opens every collapsed ancestor of a span, so it has a row. */
  function reveal(i: number): void {
    for (let p = spans[i]!.parent; p >= 0; p = spans[p]!.parent) collapsed.delete(p);
  }

  function select(i: number, scroll: boolean): void {
    selected = i;
    if (i >= 0) {
      reveal(i);
      computeVisible();
      if (scroll) {
        const top = visible.indexOf(i) * ROW_HEIGHT;
        if (top < scroller.scrollTop || top > scroller.scrollTop + scroller.clientHeight - ROW_HEIGHT) scroller.scrollTop = top - scroller.clientHeight / 3;
      }
    }
    renderRows();
    showDetails(i);
  }

  function showDetails(i: number): void {
    if (i < 0) {
      details.replaceChildren(el('p', 'hint', 'Hover or click a span to see its fields and log lines.'));
      return;
    }
    const span = spans[i]!;
    const service = data.services[span.service]!;
    const head = el('h2', '');
    const svc = el('span', 'service', service.name);
    svc.style.color = service.colour;
    head.append(svc, document.createTextNode(` ${span.name}`));
    const facts = el('dl', 'facts');
    const fact = (key: string, value: string): void => {
      if (value !== '') facts.append(el('dt', '', key), el('dd', '', value));
    };
    fact('span id', span.id);
    const parent = span.parent >= 0 ? spans[span.parent]! : null;
    fact('parent', parent ? `${data.services[parent.service]!.name} ${parent.name} (${parent.id})${span.inferredBy ? `, inferred by ${span.inferredBy}` : ''}` : 'none (root)');
    fact('kind', span.kind);
    fact('host', span.host);
    fact('start', span.offset);
    fact('duration', span.duration);
    fact('critical path', span.critical ? `${span.critical} (${span.criticalShare < 0.01 ? '<1' : Math.round(span.criticalShare * 100)}% of the trace)` : '');
    fact('status', span.status);
    fact('error', span.error ? span.errorMessage || 'yes' : '');
    fact('clock skew', span.skew);
    const logs = el('ol', 'logs');
    for (const log of span.logs) logs.append(logItem(log));
    details.replaceChildren(head, facts, el('h3', '', `${span.logs.length} log line${span.logs.length === 1 ? '' : 's'}`), logs);
  }

  function logItem(log: PageLog): HTMLElement {
    const item = el('li', `log level-${log.level || 'none'}`);
    const line = el('div', 'log-line');
    line.append(el('span', 'offset', log.offset), el('span', 'level', log.level || '-'), el('span', 'message', log.message));
    item.append(line);
    if (log.error && !log.message.includes(log.error)) item.append(el('div', 'log-error', log.error));
    if (log.stack.length > 0) item.append(el('pre', 'stack', log.stack.join('\n')));
    const fields = el('dl', 'fields');
    for (const [key, value] of log.fields) fields.append(el('dt', '', key), el('dd', '', value));
    fields.append(el('dt', '', 'source'), el('dd', '', log.source));
    item.append(fields);
    return item;
  }

  // Search: service, name, span id, messages, errors and fields, case-insensitive.
  function haystackOf(span: PageSpan): string {
    const parts = [data.services[span.service]!.name, span.name, span.id, span.errorMessage, span.status];
    for (const log of span.logs) {
      parts.push(log.message, log.error);
      for (const [k, v] of log.fields) parts.push(`${k}=${v}`);
    }
    return parts.join('\n').toLowerCase();
  }

  function search(): void {
    const query = searchBox.value.trim().toLowerCase();
    searched = query;
    matches = [];
    if (query !== '') {
      haystacks ??= spans.map(haystackOf);
      haystacks.forEach((text, i) => {
        if (text.includes(query)) matches.push(i);
      });
      for (const i of matches) reveal(i);
    }
    matchSet = new Set(matches);
    matchCount.textContent = query === '' ? '' : `${matches.length} match${matches.length === 1 ? '' : 'es'}`;
    if (matches.length > 0) select(matches[0]!, true);
    else redraw();
  }

  function step(list: number[], direction: 1 | -1): void {
    if (list.length === 0) return;
    const at = list.indexOf(selected);
    const next = at < 0 ? (direction > 0 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
    select(list[next]!, true);
  }

  function indexFrom(event: Event): number {
    const r = (event.target as HTMLElement).closest<HTMLElement>('.row');
    return r ? Number(r.dataset.index) : -1;
  }

  let searchTimer = 0;
  searchBox.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = window.setTimeout(search, 120);
  });
  searchBox.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      clearTimeout(searchTimer);
      if (searchBox.value.trim().toLowerCase() !== searched) search();
      else step(matches, e.shiftKey ? -1 : 1);
    }
  });
  $('next-match').addEventListener('click', () => step(matches, 1));
  $('prev-match').addEventListener('click', () => step(matches, -1));
  $('expand-all').addEventListener('click', () => {
    collapsed.clear();
    redraw();
  });
  $('collapse-all').addEventListener('click', () => {
    spans.forEach((_, i) => {
      if (hasChildren[i]) collapsed.add(i);
    });
    redraw();
  });
  const origin = spans.findIndex((s) => s.errorOrigin);
  const originButton = $<HTMLButtonElement>('goto-origin');
  originButton.disabled = origin < 0;
  originButton.addEventListener('click', () => select(origin, true));
  $('toggle-critical').addEventListener('click', () => document.body.classList.toggle('show-critical'));
  scroller.addEventListener('scroll', () => requestAnimationFrame(renderRows));
  window.addEventListener('resize', renderRows);
  spacer.addEventListener('click', (e) => {
    const i = indexFrom(e);
    if (i < 0) return;
    if ((e.target as HTMLElement).classList.contains('toggle')) toggle(i);
    else select(i, false);
  });
  spacer.addEventListener('mouseover', (e) => {
    const i = indexFrom(e);
    if (i === hovered) return;
    hovered = i;
    // Hovering previews a span; a click keeps one in the pane.
    if (selected < 0 && i >= 0) showDetails(i);
  });
  document.addEventListener('keydown', (e) => {
    if (e.target === searchBox) return;
    const at = visible.indexOf(selected);
    if (e.key === '/') {
      e.preventDefault();
      searchBox.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'j') select(visible[Math.min(visible.length - 1, at + 1)]!, true);
    else if (e.key === 'ArrowUp' || e.key === 'k') select(visible[Math.max(0, at - 1)]!, true);
    else if ((e.key === 'Enter' || e.key === ' ') && selected >= 0) toggle(selected);
    else if (e.key === 'ArrowLeft' && selected >= 0) toggle(selected, false);
    else if (e.key === 'ArrowRight' && selected >= 0) toggle(selected, true);
    else if (e.key === 'e' && origin >= 0) select(origin, true);
    else return;
    e.preventDefault();
  });

  // The CSP allows no style attributes in the markup: positions and colours are set from here.
  document.querySelectorAll<HTMLElement>('.tick[data-left]').forEach((t) => (t.style.left = `${t.dataset.left}%`));
  document.querySelectorAll<HTMLElement>('.chip[data-colour]').forEach((c) => (c.style.background = c.dataset.colour!));

  redraw();
  showDetails(-1);
}
