// Regenerates corpus/otel-node: starts the five services of service.cjs as separate node
// processes on 127.0.0.1, sends the scenarios through api-gateway, collects each process's
// InMemorySpanExporter spans as ground truth and lays out the variants.
//
//   cd corpus/generators/otel-node && npm ci && node run.mjs
//
// No log line is written here: the a/b/c files are written by pino inside the services. The
// variants d/e/f are made from the a files the way a container runtime, gzip, or a damaged disk
// would change them (wrapping, compressing, breaking lines) and say so in their variant.json.

import { fork } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.resolve(HERE, '../../otel-node');
const RUN = mkdtempSync(path.join(tmpdir(), 'otel-node-run-'));
const SKEWED = { service: 'inventory-service', offsetMs: 750 };
const DOCKER_SERVICE = 'order-service';
const CRI_SERVICE = 'payment-service';
const CONCURRENCY = 4;

// Started callee-first so each caller is given its downstream URLs.
const SERVICES = [
  { name: 'fraud-check', env: 'FRAUD', deps: [] },
  { name: 'payment-service', env: 'PAYMENT', deps: ['FRAUD'] },
  { name: 'inventory-service', env: 'INVENTORY', deps: [] },
  { name: 'order-service', env: 'ORDER', deps: ['INVENTORY', 'PAYMENT'] },
  { name: 'api-gateway', env: 'GATEWAY', deps: ['ORDER'] },
];

function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- scenarios (fixed order) -----------------------------------------------------------------
const SKUS = ['SKU-1001', 'SKU-1002', 'SKU-2040', 'SKU-3317', 'SKU-4410', 'SKU-5006', 'SKU-6121', 'SKU-7008'];
function order(n, over = {}) {
  const count = 1 + (n % 3);
  const items = Array.from({ length: count }, (_, i) => ({ sku: SKUS[(n * 3 + i) % SKUS.length], qty: 1 + ((n + i) % 2) }));
  return { n, customerId: `cust-${1000 + n}`, items, card: { last4: '4242' }, amount: 19.9 * count, ...over };
}
const SPECIAL = {
  5: ['deep-failure', (n) => order(n, { customerId: 'cust-shard7' })],
  9: ['timeout', (n) => order(n, { items: [{ sku: 'SKU-SLOW', qty: 1 }] })],
  13: ['retry', (n) => order(n, { customerId: 'cust-warmup' })],
  17: ['payment-declined', (n) => order(n, { card: { last4: '0002' } })],
  21: ['deep-chain', (n) => order(n, { promo: 'SPRING10', items: [{ sku: 'KIT-77', qty: 1 }] })],
  25: ['bulk-order', (n) => order(n, {
    items: Array.from({ length: 500 }, (_, i) => ({ sku: `SKU-${10000 + i}`, qty: 1 + (i % 4), unitPrice: 2.5 + (i % 7), name: `Widget ${10000 + i}` })),
    amount: 4321.5,
  })],
};
const SCENARIOS = Array.from({ length: 32 }, (_, n) => {
  const [scenario, make] = SPECIAL[n] ?? ['ok', order];
  return { n, scenario, body: make(n) };
});

// ---- run -------------------------------------------------------------------------------------
function start(svc, urls) {
  const env = { ...process.env, SERVICE: svc.name, OUT_DIR: RUN };
  if (svc.name === SKEWED.service) env.SKEW_MS = String(SKEWED.offsetMs);
  for (const d of svc.deps) env[`${d}_URL`] = urls[d];
  const child = fork(path.join(HERE, 'service.cjs'), [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => (m.type === 'ready' ? resolve({ child, port: m.port }) : reject(new Error(String(m)))));
    child.once('exit', (code) => reject(new Error(`${svc.name} exited ${code}`)));
  });
}

const urls = {};
const procs = {};
for (const svc of SERVICES) {
  const { child, port } = await start(svc, urls);
  urls[svc.env] = `http://127.0.0.1:${port}`;
  procs[svc.name] = child;
}

const scenarioOf = new Map(); // traceId -> scenario
const answers = [];
const rnd = prng(20251125);
let next = 0;
async function worker() {
  while (next < SCENARIOS.length) {
    const s = SCENARIOS[next++];
    await sleep(Math.round(rnd() * 15));
    const res = await fetch(`${urls.GATEWAY}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(s.body),
    });
    await res.text();
    const traceId = res.headers.get('x-trace-id');
    scenarioOf.set(traceId, s.scenario);
    answers.push({ n: s.n, scenario: s.scenario, status: res.status, traceId });
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
await sleep(2500); // the abandoned inventory reservation finishes and logs after its caller gave up

for (const [name, child] of Object.entries(procs)) {
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.send({ type: 'dump' });
  });

}

// ---- truth -----------------------------------------------------------------------------------
const serviceNames = SERVICES.map((s) => s.name);
const aText = Object.fromEntries(serviceNames.map((s) => [s, readFileSync(path.join(RUN, 'a', `${s}.log`), 'utf8')]));
const allA = Object.values(aText).join('');
const spans = serviceNames.flatMap((s) => JSON.parse(readFileSync(path.join(RUN, `spans-${s}.json`), 'utf8')));
const byTrace = new Map();
for (const sp of spans) {
  if (!byTrace.has(sp.traceId)) byTrace.set(sp.traceId, []);
  byTrace.get(sp.traceId).push(sp);
}
const order_ = [...answers].sort((x, y) => x.n - y.n);
const traces = order_.map(({ traceId, scenario }) => ({
  traceId,
  scenario,
  spans: (byTrace.get(traceId) ?? [])
    .sort((x, y) => (BigInt(x.startUnixNano) < BigInt(y.startUnixNano) ? -1 : BigInt(x.startUnixNano) > BigInt(y.startUnixNano) ? 1 : 0))
    .map((sp) => {
      const error = sp.status === 'ERROR';
      return {
        spanId: sp.spanId,
        parentSpanId: sp.parentSpanId,
        service: sp.service,
        name: sp.name,
        kind: sp.kind,
        startUnixNano: sp.startUnixNano,
        endUnixNano: sp.endUnixNano,
        durationMs: Math.round(sp.durationMs * 1000) / 1000,
        status: sp.status,
        httpStatus: sp.httpStatus,
        error,
        warning: !error && sp.httpStatus != null && sp.httpStatus >= 400 && sp.httpStatus < 500,
        logged: allA.includes(`"span_id":"${sp.spanId}"`),
      };
    }),
}));
const EXPECTED = { ok: 201, 'deep-failure': 502, timeout: 504, retry: 201, 'payment-declined': 402, 'deep-chain': 201, 'bulk-order': 201 };
const unexpected = answers.filter((a) => a.status !== EXPECTED[a.scenario]);
if (unexpected.length) {
  for (const p of Object.values(procs)) p.kill();
  throw new Error(`answers not as the scenarios intend (machine too loaded?): ${JSON.stringify(unexpected)}`);
}
const stray = [...byTrace.keys()].filter((t) => !scenarioOf.has(t));
if (stray.length) throw new Error(`spans of traces the driver did not start: ${stray.join(', ')}`);

const version = (p) => JSON.parse(readFileSync(path.join(HERE, 'node_modules', p, 'package.json'), 'utf8')).version;
const libraries = Object.fromEntries(
  ['pino', 'pino-http', '@opentelemetry/api', '@opentelemetry/sdk-trace-node', '@opentelemetry/sdk-trace-base',
    '@opentelemetry/instrumentation', '@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-pino',
    '@opentelemetry/resources', '@opentelemetry/core'].map((p) => [p, version(p)]),
);
libraries.node = process.versions.node;

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
writeFileSync(path.join(OUT, 'truth.json'), JSON.stringify({
  corpus: 'otel-node',
  generator: 'corpus/generators/otel-node/run.mjs',
  libraries,
  traces,
}, null, 2) + '\n');

// ---- variants --------------------------------------------------------------------------------
function variant(name, description, { skew = [], damagedLines = 0, parents = 'inferred' } = {}, files) {
  const dir = path.join(OUT, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content);
  writeFileSync(path.join(dir, 'variant.json'), JSON.stringify({ variant: name, description, skew, damagedLines, expect: { parents } }, null, 2) + '\n');
}
const fromRun = (v, s) => readFileSync(path.join(RUN, v, `${s}.log`));
const each = (f) => Object.fromEntries(serviceNames.map((s) => f(s)));

variant('a-default',
  'pino 10 with @opentelemetry/instrumentation-pino defaults: trace_id, span_id, trace_flags on lines logged inside a span; no parent ids, no service field; pino-http request lines; one file per service',
  {}, each((s) => [`${s}.log`, fromRun('a', s)]));

variant('b-explicit',
  'the same run, written at the same time by a second pino logger per service with a mixin adding service_name (every line) and parent_span_id (lines inside a span that has a parent), plus "span started"/"span ended" lines (span_name, span_kind, duration_ms, status, status_message) logged by a SpanProcessor for every span, so every span of the truth is logged here',
  { parents: 'explicit' }, each((s) => [`${s}.log`, fromRun('b', s)]));

variant('c-skew',
  `variant a of the same run, but ${SKEWED.service}'s lines come from a third pino logger in that process whose timestamp option writes Date.now() + ${SKEWED.offsetMs} ms, i.e. its clock is ${SKEWED.offsetMs} ms ahead; truth times are the true times`,
  { skew: [SKEWED] }, each((s) => [`${s}.log`, fromRun(s === SKEWED.service ? 'c' : 'a', s)]));

// Container runtimes: RFC3339Nano (Go's, trailing zeros trimmed) UTC timestamps of when the
// runtime read the line (the pino time plus a few hundred microseconds), 16 KiB pieces.
const PIECE = 16 * 1024;
function rfc3339Nano(ns) {
  const ms = Number(ns / 1000000n);
  const base = new Date(ms).toISOString().slice(0, 19);
  const frac = (ns % 1000000000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${base}${frac ? `.${frac}` : ''}Z`;
}
function readTimes(lines, seed) {
  const r = prng(seed);
  let last = 0n;
  return lines.map((line) => {
    const t = BigInt(JSON.parse(line).time) * 1000000n + BigInt(20000 + Math.round(r() * 380000));
    last = t > last ? t : last + 1000n; // a runtime's read times never go backwards
    return last;
  });
}
function pieces(line) {
  const buf = Buffer.from(line, 'utf8');
  if (buf.length !== line.length) throw new Error('non-ASCII line: split by bytes needs care');
  const out = [];
  for (let i = 0; i < buf.length; i += PIECE) out.push(buf.subarray(i, i + PIECE).toString('utf8'));
  return out.length ? out : [''];
}
// Docker's json-file encoder escapes <, >, & and U+2028/U+2029 like Go's encoding/json.
const goJsonString = (s) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
  .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const splitLines = (text) => text.split('\n').filter((l, i, a) => !(i === a.length - 1 && l === ''));
let longLines = { docker: 0, cri: 0 };
function docker(text) {
  const lines = splitLines(text);
  const times = readTimes(lines, 1);
  return lines.map((line, i) => {
    const ps = pieces(line);
    if (ps.length > 1) longLines.docker++;
    return ps.map((p, k) => `{"log":${goJsonString(k === ps.length - 1 ? `${p}\n` : p)},"stream":"stdout","time":"${rfc3339Nano(times[i] + BigInt(k) * 1000n)}"}\n`).join('');
  }).join('');
}
function cri(text) {
  const lines = splitLines(text);
  const times = readTimes(lines, 2);
  return lines.map((line, i) => {
    const ps = pieces(line);
    if (ps.length > 1) longLines.cri++;
    return ps.map((p, k) => `${rfc3339Nano(times[i] + BigInt(k) * 1000n)} stdout ${k === ps.length - 1 ? 'F' : 'P'} ${p}\n`).join('');
  }).join('');
}
variant('d-containers',
  `variant a files, with ${DOCKER_SERVICE}.log wrapped as Docker json-file lines ({"log","stream","time"}) and ${CRI_SERVICE}.log as CRI lines (<RFC3339Nano> stdout P|F <text>), lines over 16 KiB split into 16 KiB pieces (Docker: pieces without trailing \\n; CRI: P tags then F). No container engine ran: the generator does the wrapping, following the runtimes' formats; the runtime's timestamps are the pino time plus 20-400 µs`,
  {}, each((s) => {
    const text = fromRun('a', s).toString('utf8');
    return [`${s}.log`, s === DOCKER_SERVICE ? docker(text) : s === CRI_SERVICE ? cri(text) : text];
  }));

variant('e-gzip', 'variant a files, each gzipped (<service>.log.gz)', {},
  each((s) => [`${s}.log.gz`, gzipSync(fromRun('a', s), { level: 9 })]));

// ~1% of lines damaged, in fixed pseudo-random places: truncated mid-JSON, a NUL byte inserted,
// a plain-text line inserted before, a bare JSON value inserted before.
const PLAIN = ['Killed', '(node:1) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to \'0\' makes TLS connections insecure',
  'npm notice New minor version of npm available!', 'Segmentation fault (core dumped)'];
const BARE = ['42', '"x"', '[1]', 'null', 'true'];
let damaged = 0;
const damage = { truncated: 0, nul: 0, plainText: 0, bareValue: 0 };
const fFiles = each((s) => {
  const r = prng(7 + s.length * 31 + s.charCodeAt(0));
  const lines = splitLines(fromRun('a', s).toString('utf8'));
  const hit = new Set();
  const want = Math.max(2, Math.round(lines.length / 100)); // 1% of the file's lines, 2 at least
  while (hit.size < want) hit.add(1 + Math.floor(r() * (lines.length - 1))); // never the first line
  const out = [];
  let k = 0;
  for (const [i, line] of lines.entries()) {
    if (!hit.has(i)) { out.push(line); continue; }
    const op = (k++ + s.length) % 4;
    damaged++;
    if (op === 0) { damage.truncated++; out.push(line.slice(0, Math.max(1, Math.floor(line.length * (0.3 + r() * 0.5))))); }
    else if (op === 1) { damage.nul++; const at = 1 + Math.floor(r() * (line.length - 2)); out.push(`${line.slice(0, at)}\0${line.slice(at)}`); }
    else if (op === 2) { damage.plainText++; out.push(PLAIN[k % PLAIN.length], line); }
    else { damage.bareValue++; out.push(BARE[k % BARE.length], line); }
  }
  return [`${s}.log`, out.join('\n') + '\n'];
});
variant('f-damaged',
  `variant a files with ${damaged} damaged lines (~1%): ${damage.truncated} truncated mid-JSON, ${damage.nul} with a NUL byte inserted, ${damage.plainText} plain-text lines inserted, ${damage.bareValue} bare JSON values (42, "x", [1], null, true) inserted; the lines inserted come before an intact line, a truncated or NUL line replaces its original`,
  { damagedLines: damaged }, fFiles);

rmSync(RUN, { recursive: true, force: true });

// ---- summary ---------------------------------------------------------------------------------
const count = (xs, f) => xs.filter(f).length;
const allSpans = traces.flatMap((t) => t.spans);
console.log(`traces ${traces.length}, spans ${allSpans.length}, logged (a) ${count(allSpans, (s) => s.logged)}, errors ${count(allSpans, (s) => s.error)}, warnings ${count(allSpans, (s) => s.warning)}`);
for (const a of order_) if (a.scenario !== 'ok') console.log(`  ${a.scenario.padEnd(17)} ${a.traceId} HTTP ${a.status} ${byTrace.get(a.traceId).length} spans`);
console.log(`status codes: ${JSON.stringify(answers.reduce((m, a) => ((m[a.status] = (m[a.status] || 0) + 1), m), {}))}`);
console.log(`long lines split: docker ${longLines.docker}, cri ${longLines.cri}; damaged lines ${damaged} ${JSON.stringify(damage)}`);
console.log(`written to ${path.relative(process.cwd(), OUT) || OUT}`);
