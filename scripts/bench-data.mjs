#!/usr/bin/env node
// The benchmark's input: a deterministic synthetic NDJSON file of a chosen size, laid out like
// `cat api-gateway.log order-service.log payment-service.log inventory-service.log`: one section
// per service, each covering the same hour, in the services' real formats (pino, zap). One known
// trace (TARGET_TRACE_ID) is hidden in it: a few lines in every section, so spread across the file.
//
// Files live in os.tmpdir()/mcp-trace-bench and are reused while their recorded size, seed and
// generator version match. Run alone: node scripts/bench-data.mjs [--size 1g] [--clean]

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeRng } from './lib/prng.mjs';

export const BENCH_DIR = join(tmpdir(), 'mcp-trace-bench');
export const TARGET_TRACE_ID = '5eed0b5e3c9f4a7d8e21b6c4f09a7d13';
export const SEED = 1764061200;
/** Bump when the line layout changes, so stale files are rebuilt rather than reused. */
const GENERATOR_VERSION = 3;
const BASE_US = Date.UTC(2025, 10, 25, 9, 0, 0) * 1000;
const WINDOW_US = 3600e6;
/** Where in each section the target trace sits (fraction of the section's time window). */
const TARGET_AT = 0.37;
const FLUSH_BYTES = 8 << 20;

const GW_HOST = 'api-gateway-6d5f7c9b8-2xkqp';
const INV_HOST = 'inventory-service-5c8d7f9b6-qz4lm';
const SKUS = ['SKU-10482', 'SKU-20917', 'SKU-31177', 'SKU-40065', 'SKU-55230', 'SKU-61809', 'SKU-73342'];

/** `1g`, `128m`, `64M`, `1.5GiB`, `500000k`, or a plain byte count. */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(String(text).trim());
  if (!m) throw new Error(`bad size "${text}": use a number with k, m or g, e.g. 1g or 128m`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * unit);
}

export function formatSize(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 ? 2 : 0)} GiB`;
  return `${(bytes / 1024 ** 2).toFixed(bytes % 1024 ** 2 ? 1 : 0)} MiB`;
}

// ── trace plan: the per-trace facts every section must agree on ─────────────────────────────

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Fast hex from a PRNG: 4 bytes per draw. */
function hexFrom(rng, chars) {
  let s = '';
  while (s.length < chars) {
    const v = (rng.next() * 0x100000000) >>> 0;
    s += HEX[v >>> 24] + HEX[(v >>> 16) & 255] + HEX[(v >>> 8) & 255] + HEX[v & 255];
  }
  return s.length === chars ? s : s.slice(0, chars);
}

/**
 * Replays the same sequence of traces for each section: the ids, kind and start of trace k are
 * drawn from a PRNG seeded only by the file's seed, so the gateway section and the order-service
 * section name the same trace and span ids without holding them in memory.
 */
function* tracePlan(seed, count) {
  const rng = makeRng(seed);
  const gapUs = WINDOW_US / count;
  const targetK = Math.floor(count * TARGET_AT);
  for (let k = 0; k < count; k++) {
    const roll = rng.next();
    const trace = {
      k,
      id: hexFrom(rng, 32),
      kind: roll < 0.62 ? 'checkout' : 'product',
      failed: roll > 0.995,
      startUs: BASE_US + Math.round(k * gapUs),
      gw: hexFrom(rng, 16),
      order: hexFrom(rng, 16),
      pay: hexFrom(rng, 16),
      inv: hexFrom(rng, 16),
    };
    if (k === targetK) {
      trace.id = TARGET_TRACE_ID;
      trace.kind = 'checkout';
      trace.failed = false;
    }
    yield trace;
  }
}

// ── line writers, as string templates: JSON.stringify per line would halve the write speed ───

const zapTs = (us) => String(us / 1e6);
const pinoReq = (id, method, url, ipRng) =>
  `"req":{"id":${id},"method":"${method}","url":"${url}","remoteAddress":"::ffff:10.42.0.${ipRng.int(2, 250)}","remotePort":${ipRng.int(32768, 60999)}}`;

function gatewayLines(t, rng, reqId, out) {
  const checkout = t.kind === 'checkout';
  const method = checkout ? 'POST' : 'GET';
  const sku = SKUS[t.k % SKUS.length];
  const url = checkout ? '/api/orders' : `/api/products/${sku}`;
  const up = checkout ? 'order-service' : 'inventory-service';
  const upUrl = checkout ? 'http://order-service:8080/v1/orders' : `http://inventory-service:3000/v1/stock/${sku}`;
  const head = `{"level":LVL,"time":TIME,"pid":1,"hostname":"${GW_HOST}","name":"api-gateway",${pinoReq(reqId, method, url, rng)},"trace_id":"${t.id}","span_id":"${t.gw}","trace_flags":"01"`;
  const ms = Math.floor(t.startUs / 1000);
  const rt = checkout ? rng.int(120, 420) : rng.int(3, 14);
  out.push(head.replace('LVL', '30').replace('TIME', ms) + ',"msg":"incoming request"}');
  out.push(head.replace('LVL', '30').replace('TIME', ms + 1) + `,"peer.service":"${up}","url":"${upUrl}","msg":"calling ${up}"}`);
  if (t.failed) {
    out.push(head.replace('LVL', '50').replace('TIME', ms + rt) + `,"res":{"statusCode":500},"err":{"type":"Error","message":"failed with status code 500","stack":"Error: failed with status code 500\\n    at ServerResponse.onResFinished (/app/node_modules/pino-http/logger.js:115:39)"},"responseTime":${rt},"msg":"request errored"}`);
  } else {
    out.push(head.replace('LVL', '30').replace('TIME', ms + rt) + `,"res":{"statusCode":${checkout ? 201 : 200}},"responseTime":${rt},"msg":"request completed"}`);
  }
}

function zapHead(level, us, caller, msg, service, t, span, parent) {
  return `{"level":"${level}","ts":${zapTs(us)},"caller":"${caller}","msg":"${msg}","service":"${service}","trace_id":"${t.id}","span_id":"${span}","parent_span_id":"${parent}"`;
}

function orderLines(t, rng, out) {
  if (t.kind !== 'checkout') return;
  const s = t.startUs + rng.int(800, 2000);
  const end = s + rng.int(110_000, 400_000);
  const id = `ord_${hexFrom(rng, 12)}`;
  out.push(zapHead('info', s, 'httpserver/middleware.go:41', 'request started', 'order-service', t, t.order, t.gw) + ',"method":"POST","path":"/v1/orders"}');
  out.push(zapHead('info', s + rng.int(1500, 4000), 'orders/service.go:88', 'order created', 'order-service', t, t.order, t.gw) + `,"order_id":"${id}","items":${rng.int(1, 4)},"total_cents":${rng.int(899, 24999)}}`);
  out.push(zapHead('info', s + rng.int(4000, 5000), 'clients/inventory.go:52', 'calling inventory-service', 'order-service', t, t.order, t.gw) + ',"peer.service":"inventory-service","url":"http://inventory-service:3000/v1/reservations"}');
  out.push(zapHead('info', s + rng.int(9000, 12000), 'clients/payment.go:61', 'calling payment-service', 'order-service', t, t.order, t.gw) + ',"peer.service":"payment-service","url":"http://payment-service:8080/v1/charges"}');
  const status = t.failed ? 500 : 201;
  const level = t.failed ? 'error' : 'info';
  out.push(zapHead(level, end, 'httpserver/middleware.go:58', 'request completed', 'order-service', t, t.order, t.gw) + `,"method":"POST","path":"/v1/orders","status":${status},"latency":${(end - s) / 1e6}}`);
}

function paymentLines(t, rng, out) {
  if (t.kind !== 'checkout') return;
  const s = t.startUs + rng.int(12_000, 15_000);
  const end = s + rng.int(90_000, 380_000);
  out.push(zapHead('info', s, 'httpserver/middleware.go:41', 'request started', 'payment-service', t, t.pay, t.order) + ',"method":"POST","path":"/v1/charges"}');
  out.push(zapHead('info', s + rng.int(20_000, 60_000), 'charge/stripe.go:73', 'authorizing charge', 'payment-service', t, t.pay, t.order) + `,"provider":"stripe","amount_cents":${rng.int(899, 24999)},"currency":"EUR"}`);
  if (t.failed) {
    out.push(zapHead('error', end - 300, 'charge/stripe.go:95', 'charge failed', 'payment-service', t, t.pay, t.order) + ',"error":"stripe: 502 Bad Gateway","stacktrace":"github.com/acme/shop/payment-service/internal/charge.(*Handler).Charge\\n\\t/app/internal/charge/handler.go:112"}');
  } else {
    out.push(zapHead('info', end - 300, 'charge/stripe.go:88', 'charge authorized', 'payment-service', t, t.pay, t.order) + `,"provider":"stripe","charge_id":"ch_${hexFrom(rng, 24)}"}`);
  }
  out.push(zapHead(t.failed ? 'error' : 'info', end, 'httpserver/middleware.go:58', 'request completed', 'payment-service', t, t.pay, t.order) + `,"method":"POST","path":"/v1/charges","status":${t.failed ? 502 : 201},"latency":${(end - s) / 1e6}}`);
}

function inventoryLines(t, rng, reqId, out) {
  const checkout = t.kind === 'checkout';
  const sku = SKUS[t.k % SKUS.length];
  const parent = checkout ? t.order : t.gw;
  const url = checkout ? '/v1/reservations' : `/v1/stock/${sku}`;
  const s = t.startUs + (checkout ? rng.int(5000, 6000) : rng.int(1500, 2500));
  const rt = rng.int(2, 9);
  const head = `{"level":30,"time":TIME,"pid":1,"hostname":"${INV_HOST}","name":"inventory-service",${pinoReq(reqId, checkout ? 'POST' : 'GET', url, rng)},"trace_id":"${t.id}","span_id":"${t.inv}","parent_span_id":"${parent}","trace_flags":"01"`;
  const ms = Math.floor(s / 1000);
  out.push(head.replace('TIME', ms) + (checkout ? `,"sku":"${sku}","quantity":${rng.int(1, 3)},"msg":"reserving stock"}` : `,"sku":"${sku}","msg":"stock lookup"}`));
  out.push(head.replace('TIME', ms + rt) + `,"res":{"statusCode":${checkout ? 201 : 200}},"responseTime":${rt},"msg":"request completed"}`);
}

/** Lines with no trace id, about one in forty: what a prefilter gets to skip cheaply. */
function noiseLine(section, t, rng) {
  const ms = Math.floor(t.startUs / 1000) + 3;
  if (section.style === 'zap') {
    return `{"level":"info","ts":${zapTs(t.startUs + 3000)},"caller":"db/pool.go:120","msg":"db pool stats","service":"${section.service}","open":${rng.int(4, 16)},"in_use":${rng.int(0, 4)},"idle":${rng.int(2, 12)},"wait_count":0,"wait_duration":0}`;
  }
  return `{"level":20,"time":${ms},"pid":1,"hostname":"${section.service === 'api-gateway' ? GW_HOST : INV_HOST}","name":"${section.service}","req":{"id":0,"method":"GET","url":"/healthz","remoteAddress":"::ffff:10.42.0.1","remotePort":${rng.int(32768, 60999)}},"res":{"statusCode":200},"responseTime":0,"msg":"request completed"}`;
}

const SECTIONS = [
  { service: 'api-gateway', style: 'pino', write: (t, rng, n, out) => gatewayLines(t, rng, n, out) },
  { service: 'order-service', style: 'zap', write: (t, rng, n, out) => orderLines(t, rng, out) },
  { service: 'payment-service', style: 'zap', write: (t, rng, n, out) => paymentLines(t, rng, out) },
  { service: 'inventory-service', style: 'pino', write: (t, rng, n, out) => inventoryLines(t, rng, n, out) },
];

/**
 * Writes every section for `count` traces through `sink(buffer, length)`; returns the target's
 * line count. Lines go straight into one reused buffer (they are ASCII), which keeps the garbage
 * collector out of the way: joining strings per chunk cost more than making the lines.
 */
function generate(seed, count, sink) {
  let targetLines = 0;
  let lines = 0;
  const buf = Buffer.allocUnsafe(FLUSH_BYTES + 64 * 1024);
  let used = 0;
  const out = {
    push(line) {
      if (used + line.length + 1 > buf.length) flush();
      used += buf.latin1Write(line, used);
      buf[used++] = 10;
      lines++;
    },
  };
  function flush() {
    if (used) sink(buf, used);
    used = 0;
  }
  SECTIONS.forEach((section, i) => {
    const rng = makeRng(seed * 31 + i + 1);
    let reqId = 0;
    for (const trace of tracePlan(seed, count)) {
      const before = lines;
      section.write(trace, rng, ++reqId, out);
      if (trace.id === TARGET_TRACE_ID) targetLines += lines - before;
      if (trace.k % 40 === 17) out.push(noiseLine(section, trace, rng));
    }
  });
  flush();
  return targetLines;
}

/** Bytes one trace adds across all sections, measured on a sample, to size the trace count. */
function bytesPerTrace(seed) {
  const sample = 2000;
  let bytes = 0;
  generate(seed + 1, sample, (_buf, length) => (bytes += length));
  return bytes / sample;
}

function writeFile(path, seed, count) {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    const targetLines = generate(seed, count, (buf, length) => {
      for (let done = 0; done < length; ) done += writeSync(fd, buf, done, length - done);
      bytes += length;
    });
    return { bytes, targetLines };
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes (or reuses) the bench file of at least `sizeBytes`.
 * @returns {{path:string, bytes:number, lines?:number, targetTraceId:string, targetLines:number, reused:boolean, seconds:number}}
 */
export function ensureBenchFile(sizeBytes, { seed = SEED, log = () => {} } = {}) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const path = join(BENCH_DIR, `bench-${sizeBytes}-${seed}.ndjson`);
  const metaPath = path + '.meta.json';
  const wanted = { version: GENERATOR_VERSION, seed, sizeBytes, targetTraceId: TARGET_TRACE_ID };
  if (existsSync(path) && existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    const same = Object.entries(wanted).every(([k, v]) => meta[k] === v);
    if (same && statSync(path).size === meta.bytes) return { path, ...meta, reused: true, seconds: 0 };
  }
  const started = process.hrtime.bigint();
  // 0.5 % over the estimate, so the file is nearly always at least the size asked for; when
  // the sample guessed low, write it again with a count scaled by how far short it fell.
  let count = Math.ceil((sizeBytes / bytesPerTrace(seed)) * 1.005);
  let bytes = 0;
  let targetLines = 0;
  for (let attempt = 0; attempt < 3 && bytes < sizeBytes; attempt++) {
    if (bytes) count = Math.ceil(count * (sizeBytes / bytes) * 1.005);
    log(`writing ${formatSize(sizeBytes)} bench file (${count.toLocaleString('en')} traces) to ${path} …`);
    ({ bytes, targetLines } = writeFile(path + '.partial', seed, count));
  }
  if (bytes < sizeBytes) throw new Error(`bench file came out at ${bytes} bytes, under the ${sizeBytes} asked for`);
  rmSync(path, { force: true });
  writeFileSync(metaPath, JSON.stringify({ ...wanted, bytes, traces: count, targetLines }));
  // Renamed last: a file that exists under its final name is always complete.
  renameSync(path + '.partial', path);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { path, ...wanted, bytes, traces: count, targetLines, reused: false, seconds };
}

export function cleanBenchFiles() {
  rmSync(BENCH_DIR, { recursive: true, force: true });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--clean')) {
    cleanBenchFiles();
    console.log(`removed ${BENCH_DIR}`);
  } else {
    const i = args.indexOf('--size');
    const size = parseSize(i >= 0 ? args[i + 1] : '1g');
    const info = ensureBenchFile(size, { log: console.log });
    console.log(JSON.stringify(info));
  }
}
