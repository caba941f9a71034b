// Fidelity figures: how close `mcp-trace show --json` (and `traces`) come to the ground truth of
// the corpora in corpus/ (layout and schemas: corpus/README.md). Used by scripts/score.mjs and
// by the gate in test/fidelity/score.test.ts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTrace, listTraces } from './build-trace.mjs';

export const CORPUS_ROOT = fileURLToPath(new URL('../../corpus/', import.meta.url));
const NOT_SOURCES = new Set(['variant.json', 'truth.json']);
const TWO_64 = 1n << 64n;

// ---------------------------------------------------------------------------------------------
// Discovery

/**
 * The corpora under `root`: each folder with a truth.json and variant folders, or (the zoo) a
 * folder of such folders, one per library. Synchronous, so tests can name their cases from it.
 * Returns [{ corpus, dir, exists, rows: [{ name, dir, truthPath }] }].
 */
export function discoverCorpus(name, root = CORPUS_ROOT) {
  const dir = join(root, name);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { corpus: name, dir, exists: false, rows: [] };
  const rows = [];
  if (existsSync(join(dir, 'truth.json'))) {
    rows.push(...variantsOf(dir).map((v) => ({ name: basename(v), dir: v, truthPath: join(dir, 'truth.json') })));
  } else {
    for (const sub of subfolders(dir)) {
      if (!existsSync(join(sub, 'truth.json'))) continue;
      const variants = variantsOf(sub);
      for (const v of variants) {
        const label = v === sub || variants.length === 1 ? basename(sub) : `${basename(sub)}/${basename(v)}`;
        rows.push({ name: label, dir: v, truthPath: join(sub, 'truth.json') });
      }
    }
  }
  return { corpus: name, dir, exists: true, rows };
}

/** Every corpus folder under root (generators/ excluded). */
export function discoverAll(root = CORPUS_ROOT) {
  if (!existsSync(root)) return [];
  return subfolders(root)
    .map((d) => basename(d))
    .filter((n) => n !== 'generators')
    .map((n) => discoverCorpus(n, root))
    .filter((c) => c.rows.length > 0);
}

function subfolders(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => join(dir, e.name))
    .sort();
}

/** Variant folders of a corpus: subfolders with variant.json, else the folder itself if it holds logs. */
function variantsOf(dir) {
  const withJson = subfolders(dir).filter((d) => existsSync(join(d, 'variant.json')));
  if (withJson.length > 0) return withJson;
  return sourcesOf(dir).length > 0 ? [dir] : [];
}

/** A variant's log files: every plain file but variant.json/truth.json, as `'dir/*'` would give. */
export function sourcesOf(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.') && !NOT_SOURCES.has(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function readVariant(dir) {
  const path = join(dir, 'variant.json');
  const v = existsSync(path) ? readJson(path) : {};
  return {
    variant: v.variant ?? basename(dir),
    description: v.description ?? '',
    skew: Array.isArray(v.skew) ? v.skew : [],
    damagedLines: v.damagedLines ?? 0,
    expect: { parents: v.expect?.parents ?? 'explicit' },
  };
}

// ---------------------------------------------------------------------------------------------
// Ids: case-insensitive, 64-bit decimal == 16 hex, a 64-bit trace id == the low half of 128 bits

/** Every spelling an id is equal to, lower-cased. */
export function idKeys(id) {
  if (id === null || id === undefined) return [];
  const s = String(id).trim().toLowerCase().replace(/^0x/, '');
  const keys = new Set([s]);
  if (/^\d{1,20}$/.test(s)) {
    const n = BigInt(s);
    if (n < TWO_64) keys.add(n.toString(16).padStart(16, '0'));
  }
  if (/^[0-9a-f]{1,16}$/.test(s)) {
    keys.add(s.padStart(16, '0'));
    keys.add(BigInt('0x' + s).toString(10));
  }
  return [...keys];
}

/** A 128-bit hex trace id also answers to its low 64 bits (and their decimal form). */
function traceIdKeys(id) {
  const keys = new Set(idKeys(id));
  for (const k of [...keys]) if (/^[0-9a-f]{32}$/.test(k)) for (const low of idKeys(k.slice(16))) keys.add(low);
  return keys;
}

export function traceIdsEqual(a, b) {
  const ka = traceIdKeys(a);
  for (const k of traceIdKeys(b)) if (ka.has(k)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// One trace

function ns(value) {
  return BigInt(value);
}

/**
 * Maps output spans to truth spans. Returns Map<outputSpan, truthSpan>.
 * By span id, unless the variant has trace ids only: then each output span goes to the truth
 * span of the same service with the largest interval overlap (one-to-one, greedy by overlap).
 */
export function matchSpans(truthTrace, out, variant) {
  const match = new Map();
  if (!out) return match;
  if (variant.expect.parents !== 'trace-id-only') {
    const byKey = new Map();
    for (const t of truthTrace.spans) for (const k of idKeys(t.spanId)) if (!byKey.has(k)) byKey.set(k, t);
    const taken = new Set();
    for (const o of out.spans) {
      const t = idKeys(o.spanId).map((k) => byKey.get(k)).find((x) => x !== undefined);
      if (t && !taken.has(t)) {
        taken.add(t);
        match.set(o, t);
      }
    }
    return match;
  }
  const base = minStart(truthTrace);
  const offsetOf = skewOffsets(variant);
  const pairs = [];
  for (const o of out.spans) {
    if (o.placeholder) continue;
    // Back to true time: output = logged + shift, logged = true + offset.
    const oStart = Number(ns(o.startUnixNano) - base) / 1e6 - (o.skewShiftMs ?? 0) - (offsetOf.get(o.service) ?? 0);
    const oEnd = oStart + o.durationMs;
    for (const t of truthTrace.spans) {
      if (!t.logged || t.service !== o.service) continue;
      const tStart = Number(ns(t.startUnixNano) - base) / 1e6;
      const tEnd = Number(ns(t.endUnixNano) - base) / 1e6;
      const overlap = Math.min(oEnd, tEnd) - Math.max(oStart, tStart);
      if (overlap < 0) continue;
      pairs.push({ o, t, overlap, gap: Math.abs(oStart - tStart) });
    }
  }
  pairs.sort((a, b) => b.overlap - a.overlap || a.gap - b.gap);
  const usedT = new Set();
  for (const p of pairs) {
    if (match.has(p.o) || usedT.has(p.t)) continue;
    match.set(p.o, p.t);
    usedT.add(p.t);
  }
  return match;
}

function minStart(truthTrace) {
  let min = null;
  for (const t of truthTrace.spans) {
    const s = ns(t.startUnixNano);
    if (min === null || s < min) min = s;
  }
  return min ?? 0n;
}

function skewOffsets(variant) {
  return new Map(variant.skew.map((s) => [s.service, Number(s.offsetMs) || 0]));
}

/** The empty tally one trace or one variant adds to. */
export function newTally() {
  return {
    traces: { total: 0, show: 0, traces: 0 },
    traceId: { right: 0, total: 0 },
    spans: { logged: 0, recalled: 0, extra: 0 },
    service: { right: 0, total: 0 },
    parent: { right: 0, total: 0 },
    parentService: { right: 0, total: 0 },
    error: { tp: 0, fp: 0, fn: 0 },
    warning: { supported: false, tp: 0, fp: 0, fn: 0 },
    durationErrors: [],
    durationWithin: 0,
    skew: { affected: 0, found: 0, childrenOutside: 0 },
    falseShiftTraces: 0,
    examples: { falseShifts: [], missingTraces: [], wrongParents: [], wrongErrors: [], badDurations: [], skewMissed: [], childrenOutside: [] },
  };
}

const MAX_EXAMPLES = 5;
function example(list, item) {
  if (list.length < MAX_EXAMPLES) list.push(item);
}

function spanLabel(s) {
  return s ? `${s.service} ${s.name}` : '(root)';
}

/** Adds one truth trace's figures (out = the show --json object or null; listed = found by traces). */
export function scoreTrace(tally, truthTrace, out, listed, variant) {
  tally.traces.total += 1;
  if (out) tally.traces.show += 1;
  if (listed) tally.traces.traces += 1;
  if (!out || !listed) example(tally.examples.missingTraces, `${truthTrace.traceId} (${truthTrace.scenario ?? '?'}): ${!out ? 'show' : 'traces'} misses it`);
  if (out) {
    tally.traceId.total += 1;
    if (String(out.traceId).toLowerCase() === String(truthTrace.traceId).toLowerCase()) tally.traceId.right += 1;
    if ('warningCount' in out) tally.warning.supported = true;
  }

  const truthById = new Map(truthTrace.spans.map((t) => [t.spanId, t]));
  const match = matchSpans(truthTrace, out, variant);
  const outById = new Map((out?.spans ?? []).map((o) => [o.spanId, o]));
  const visible = new Set(match.values());
  const real = (out?.spans ?? []).filter((o) => !o.placeholder);

  // Spans: logged truth spans shown as real (not placeholder) spans.
  const recalled = new Set();
  for (const o of real) if (match.has(o)) recalled.add(match.get(o));
  for (const t of truthTrace.spans) {
    if (!t.logged) continue;
    tally.spans.logged += 1;
    if (recalled.has(t)) tally.spans.recalled += 1;
  }
  tally.spans.extra += real.filter((o) => !match.has(o)).length;

  for (const o of real) {
    const t = match.get(o);
    if (!t) continue;
    tally.service.total += 1;
    if (o.service === t.service) tally.service.right += 1;

    // Expected parent: nearest truth ancestor among the spans mcp-trace shows.
    let expected = t.parentSpanId === null ? null : truthById.get(t.parentSpanId) ?? null;
    while (expected && !visible.has(expected)) expected = expected.parentSpanId === null ? null : truthById.get(expected.parentSpanId) ?? null;
    const op = o.parentSpanId === null ? null : outById.get(o.parentSpanId) ?? { service: null, name: `(dangling ${o.parentSpanId})` };
    const predicted = op === null ? null : match.get(op) ?? op;
    tally.parent.total += 1;
    if (predicted === expected) tally.parent.right += 1;
    else example(tally.examples.wrongParents, `${truthTrace.scenario ?? truthTrace.traceId}: ${spanLabel(t)} → ${spanLabel(predicted)}, want ${spanLabel(expected)}`);
    const predictedService = predicted === null ? null : predicted.service;
    const expectedService = expected === null ? null : expected.service;
    tally.parentService.total += 1;
    if (predictedService === expectedService) tally.parentService.right += 1;

    // Durations.
    const truthMs = t.durationMs ?? Number(ns(t.endUnixNano) - ns(t.startUnixNano)) / 1e6;
    const err = Math.abs(o.durationMs - truthMs);
    tally.durationErrors.push(err);
    if (err <= Math.max(1, 0.05 * truthMs)) tally.durationWithin += 1;
    else example(tally.examples.badDurations, `${spanLabel(t)}: ${o.durationMs} ms, truth ${truthMs} ms`);
  }

  // Errors and warnings, over logged truth spans and real output spans.
  const shownAs = new Map([...match].filter(([o]) => !o.placeholder).map(([o, t]) => [t, o]));
  for (const t of truthTrace.spans) {
    if (!t.logged) continue;
    const o = shownAs.get(t);
    if (t.error && o?.error) tally.error.tp += 1;
    else if (t.error) {
      tally.error.fn += 1;
      example(tally.examples.wrongErrors, `${truthTrace.scenario ?? truthTrace.traceId}: ${spanLabel(t)} failed, shown ${o ? 'as no error' : 'not at all'}`);
    }
    if (t.warning && o?.warning) tally.warning.tp += 1;
    else if (t.warning) tally.warning.fn += 1;
  }
  for (const o of real) {
    const t = match.get(o);
    if (o.error && !t?.error) {
      tally.error.fp += 1;
      example(tally.examples.wrongErrors, `${truthTrace.scenario ?? truthTrace.traceId}: ${o.service} ${o.name} shown as error, truth ${t ? 'no error' : 'has no such span'}`);
    }
    if (o.warning && !t?.warning) tally.warning.fp += 1;
  }

  // Clock skew. A shift on a service whose clock is right is a false correction (any variant).
  const skewedServices = new Set(variant.skew.map((x) => x.service));
  if (real.some((o) => o.skewShiftMs && !skewedServices.has(o.service))) {
    tally.falseShiftTraces += 1;
    const o = real.find((x) => x.skewShiftMs && !skewedServices.has(x.service));
    example(tally.examples.falseShifts, `${truthTrace.traceId} (${truthTrace.scenario ?? '?'}): ${o.service} ${o.name} shifted ${o.skewShiftMs} ms`);
  }
  if (variant.skew.length > 0) {
    const offsets = skewOffsets(variant);
    const skewed = truthTrace.spans.some((t) => t.logged && offsets.has(t.service));
    if (skewed) {
      tally.skew.affected += 1;
      // A warning counts when it names a skewed service (they read `<service> shifted … (clock skew)`).
      const warned = (out?.warnings ?? []).some((w) => /skew|shift/i.test(w) && [...offsets.keys()].some((svc) => w.includes(svc)));
      const shifted = real.some((o) => {
        const off = offsets.get(o.service);
        return off !== undefined && o.skewShiftMs !== undefined && Math.abs(o.skewShiftMs + off) <= Math.abs(off) / 2;
      });
      if (warned || shifted) tally.skew.found += 1;
      else example(tally.examples.skewMissed, `${truthTrace.traceId} (${truthTrace.scenario ?? '?'})`);
    }
    const tol = Math.max(...variant.skew.map((s) => Math.abs(Number(s.offsetMs) || 0))) / 2;
    const tolNs = BigInt(Math.round(tol * 1e6));
    const interval = (startNs, ms) => [ns(startNs), ns(startNs) + BigInt(Math.round(ms * 1e6))];
    const outside = ([cs, ce], [ps, pe]) => cs < ps - tolNs || ce > pe + tolNs;
    for (const o of real) {
      const op = o.parentSpanId === null ? undefined : outById.get(o.parentSpanId);
      if (!op || op.placeholder || op.service === o.service) continue;
      if (!outside(interval(o.startUnixNano, o.durationMs), interval(op.startUnixNano, op.durationMs))) continue;
      // A child that truly outlived (or preceded) its caller is not a skew artefact.
      const tc = match.get(o);
      const tp = match.get(op);
      if (tc && tp && outside([ns(tc.startUnixNano), ns(tc.endUnixNano)], [ns(tp.startUnixNano), ns(tp.endUnixNano)])) continue;
      tally.skew.childrenOutside += 1;
      example(tally.examples.childrenOutside, `${truthTrace.scenario ?? truthTrace.traceId}: ${o.service} ${o.name} outside ${op.service} ${op.name}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Variants and corpora

function rate(right, total) {
  return total === 0 ? null : right / total;
}

function median(values) {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The figures of one tally, as printed by `score --json`. */
export function figuresOf(name, corpus, variant, tally, elapsedMs = 0) {
  const { traces, spans, error, warning } = tally;
  const skewed = variant.skew.length > 0;
  return {
    corpus,
    name,
    variant: variant.variant,
    parents: variant.expect.parents,
    traces: { ...traces, found: Math.min(traces.show, traces.traces), rate: rate(Math.min(traces.show, traces.traces), traces.total) },
    traceId: { ...tally.traceId, rate: rate(tally.traceId.right, tally.traceId.total) },
    spans: { ...spans, recall: rate(spans.recalled, spans.logged) },
    service: { ...tally.service, rate: rate(tally.service.right, tally.service.total) },
    parent: { ...tally.parent, rate: rate(tally.parent.right, tally.parent.total) },
    parentService: { ...tally.parentService, rate: rate(tally.parentService.right, tally.parentService.total) },
    error: { ...error, precision: rate(error.tp, error.tp + error.fp), recall: rate(error.tp, error.tp + error.fn) },
    warning: warning.supported
      ? { tp: warning.tp, fp: warning.fp, fn: warning.fn, precision: rate(warning.tp, warning.tp + warning.fp), recall: rate(warning.tp, warning.tp + warning.fn) }
      : null,
    duration: {
      spans: tally.durationErrors.length,
      medianErrorMs: median(tally.durationErrors),
      within: tally.durationWithin,
      withinRate: rate(tally.durationWithin, tally.durationErrors.length),
    },
    skew: skewed ? { ...tally.skew, rate: rate(tally.skew.found, tally.skew.affected) } : null,
    /** Traces where a service with a right clock was shifted as if skewed. */
    falseShiftTraces: tally.falseShiftTraces,
    examples: Object.fromEntries(Object.entries(tally.examples).filter(([, v]) => v.length > 0)),
    elapsedMs: Math.round(elapsedMs),
  };
}

/** Scores one variant folder against its truth. */
export async function scoreVariant(corpus, row) {
  const started = performance.now();
  const truth = readJson(row.truthPath);
  const variant = readVariant(row.dir);
  const files = sourcesOf(row.dir);
  const tally = newTally();
  const listedP = listTraces(files).catch((err) => ({ error: err }));
  const outs = [];
  for (const t of truth.traces) outs.push(await buildTrace(t.traceId, files));
  const listed = await listedP;
  if (listed.error) throw listed.error;
  truth.traces.forEach((t, i) => {
    scoreTrace(tally, t, outs[i], listed.some((id) => traceIdsEqual(id, t.traceId)), variant);
  });
  return figuresOf(row.name, corpus, variant, tally, performance.now() - started);
}

/** Scores every row of a discovered corpus, one after another (2 cores, shared). */
export async function scoreCorpus(discovered) {
  const rows = [];
  for (const row of discovered.rows) rows.push(await scoreVariant(discovered.corpus, row));
  return { corpus: discovered.corpus, rows };
}

export async function scoreAll(root = CORPUS_ROOT, only = null) {
  const corpora = discoverAll(root).filter((c) => !only || only.includes(c.corpus));
  const out = [];
  for (const c of corpora) out.push(await scoreCorpus(c));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Targets

/** Whether a target's variant name names this row: exact, or without the `a-` style prefix. */
export function rowMatches(rowName, targetName) {
  if (targetName === '*') return true;
  const strip = (s) => s.replace(/^[a-z]-/, '');
  return rowName === targetName || strip(rowName) === strip(targetName) || rowName.endsWith(`-${targetName}`);
}

/** The metric each target key reads, with how it compares. */
const CHECKS = {
  tracesFound: { get: (f) => f.traces.rate, label: 'traces found', min: true },
  traceId: { get: (f) => f.traceId.rate, label: 'trace id printed', min: true },
  spanRecall: { get: (f) => f.spans.recall, label: 'span recall', min: true },
  service: { get: (f) => f.service.rate, label: 'service', min: true },
  parent: { get: (f) => f.parent.rate, label: 'exact parent', min: true },
  parentService: { get: (f) => f.parentService.rate, label: 'parent service', min: true },
  errorPrecision: { get: (f) => f.error.precision, label: 'error precision', min: true, vacuous: (f) => f.error.fp === 0 },
  errorRecall: { get: (f) => f.error.recall, label: 'error recall', min: true, vacuous: (f) => f.error.fn === 0 && f.spans.logged > 0 },
  durationWithin: { get: (f) => f.duration.withinRate, label: 'durations within max(1ms, 5%)', min: true },
  skewFound: { get: (f) => f.skew?.rate ?? null, label: 'skew found', min: true },
  childrenOutside: { get: (f) => f.skew?.childrenOutside ?? null, label: 'children outside parent', min: false },
  falseShifts: { get: (f) => (f.traces.total > 0 ? f.falseShiftTraces / f.traces.total : null), label: 'share of traces with a false skew shift', min: false },
};

/**
 * Failures of one row against one target ({ key: bound }): [] when it meets them all. A rate
 * with nothing to measure (no spans) fails, except error precision/recall with no errors to get
 * wrong (a corpus run without failing spans cannot miss one).
 */
export function checkTarget(fig, target) {
  const failures = [];
  for (const [key, bound] of Object.entries(target)) {
    const check = CHECKS[key];
    if (!check) continue; // notes such as "provisional"
    const value = check.get(fig);
    if (value === null && check.vacuous?.(fig)) continue;
    const ok = value !== null && (check.min ? value >= bound - 1e-9 : value <= bound);
    if (!ok) failures.push(`${check.label}: ${value === null ? 'n/a' : fmtValue(key, value)} (target ${check.min ? '≥' : '≤'} ${fmtValue(key, bound)})`);
  }
  return failures;
}

function fmtValue(key, v) {
  return key === 'childrenOutside' ? String(v) : `${(v * 100).toFixed(1)}%`;
}

export function loadTargets() {
  return readJson(fileURLToPath(new URL('./targets.json', import.meta.url)));
}

// ---------------------------------------------------------------------------------------------
// Printing

const pct = (r) => (r === null || r === undefined ? 'n/a' : `${(r * 100).toFixed(1)}%`);
const frac = (n, d) => `${n}/${d}`;

/** One row's cells, in the table's column order. */
function cells(f, zoo) {
  const base = [
    f.name,
    frac(f.traces.found, f.traces.total) + (f.traces.show !== f.traces.traces ? ` (show ${f.traces.show}, traces ${f.traces.traces})` : ''),
    pct(f.spans.recall),
  ];
  if (zoo) base.push(pct(f.service.rate), pct(f.traceId.rate));
  base.push(
    pct(f.parent.rate),
    pct(f.parentService.rate),
    `${pct(f.error.precision)} / ${pct(f.error.recall)}`,
    f.warning ? pct(f.warning.recall) : 'n/a',
    f.duration.medianErrorMs === null ? 'n/a' : `${f.duration.medianErrorMs.toFixed(2)}ms`,
    pct(f.duration.withinRate),
    f.skew ? `${frac(f.skew.found, f.skew.affected)}` : '—',
    f.skew ? String(f.skew.childrenOutside) : '—',
    frac(f.falseShiftTraces, f.traces.total),
  );
  return base;
}

export function renderTable(scored) {
  const zoo = scored.corpus === 'zoo';
  const head = ['variant', 'traces found', 'span recall'];
  if (zoo) head[0] = 'library';
  if (zoo) head.push('service', 'trace id');
  head.push('parent', 'parent svc', 'error P / R', 'warn R', 'med dur err', 'within 5%', 'skew found', 'children outside', 'false shifts');
  const rows = [head, ...scored.rows.map((f) => cells(f, zoo))];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [`${scored.corpus}`, line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
