#!/usr/bin/env node
// Writes examples/: three minutes of logs from a five-service shop, one file per service, every
// line written by the service's real library. shop.mjs decides what happens (a fixed seed and a
// fixed start time, so tests and the README can name exact trace ids and figures) and records each
// log call; the writers replay those calls through pino + pino-http (Node), zap (Go) and structlog
// (Python). Then this script plays the damaged disk (one line cut short) and the log rotator (one
// file gzipped), and writes examples/README.md and record.json (the scenario's own record).
//
//   node corpus/generators/examples/run.mjs        (or: npm run examples)

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { makeRng } from '../../../scripts/lib/prng.mjs';
import { readme, record } from './readme.mjs';
import { backgroundLines, planTraces, SEED } from './scenario.mjs';
import { makeShop, SERVICES } from './shop.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
const OUT_DIR = join(ROOT, 'examples');
/**
 * The writers run from copies here, at a fixed path, so the stacks the libraries log name the
 * same files on every machine and checkout.
 */
const STAGE = '/tmp/acme-shop';
const GOPATH_DEBIAN = '/usr/share/gocode';
const PYTHON = '/usr/bin/python3';
/** Each service's recorded calls in file order, as JSON lines (fields as [key, value] pairs, in order). */
function entriesFile(shop, service) {
  const entries = shop.lines.get(service).sort((a, b) => a.t - b.t || a.seq - b.seq).map((e) => e.entry);
  const text = entries.map((e) => JSON.stringify(e.fields ? { ...e, fields: Object.entries(e.fields) } : e)).join('\n') + '\n';
  const path = join(STAGE, 'entries', `${service}.jsonl`);
  writeFileSync(path, text);
  return { path, entries };
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
const debianVersion = (pkg) => {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).replace(/^\d+:/, '').replace(/-[^-]*$/, '');
  } catch {
    return null;
  }
};
const has = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** The writers: which services each writes, and how; `missing` says why it cannot run here. */
const WRITERS = [
  {
    library: 'pino',
    services: ['api-gateway', 'inventory-service'],
    missing: () => (existsSync(join(HERE, 'node_modules', 'pino-http')) ? null : `no node_modules: run npm ci in ${HERE}`),
    versions: () => Object.fromEntries(['pino', 'pino-http'].map((p) => [p, JSON.parse(readFileSync(join(HERE, 'node_modules', p, 'package.json'), 'utf8')).version])),
    prepare() {
      mkdirSync(join(STAGE, 'node'), { recursive: true });
      cpSync(join(HERE, 'pino-writer.mjs'), join(STAGE, 'node', 'pino-writer.mjs'));
      // A copy, not a symlink: Node names a module by its real path in stacks.
      cpSync(join(HERE, 'node_modules'), join(STAGE, 'node', 'node_modules'), { recursive: true });
    },
    write: (service, entries, out) => run(process.execPath, [join(STAGE, 'node', 'pino-writer.mjs'), service, entries, out]),
  },
  {
    library: 'zap',
    services: ['order-service', 'payment-service'],
    missing: () => (!has('go', ['version']) ? 'go is not installed (apt-get install golang-go)'
      : !existsSync(join(GOPATH_DEBIAN, 'src', 'go.uber.org', 'zap')) ? `zap is missing from ${GOPATH_DEBIAN} (apt-get install golang-go.uber-zap-dev)` : null),
    versions: () => ({ 'go.uber.org/zap': debianVersion('golang-go.uber-zap-dev'), go: execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim() }),
    prepare() {
      // A GOPATH build with Debian's zap (GO111MODULE=off: no module proxy, no downloads).
      const src = join(STAGE, 'go', 'src', 'github.com', 'acme', 'shop', 'zap-writer');
      mkdirSync(src, { recursive: true });
      cpSync(join(HERE, 'zap', 'main.go'), join(src, 'main.go'));
      run('go', ['build', '-trimpath', '-o', join(STAGE, 'zap-writer'), '.'], {
        cwd: src, env: { ...process.env, GO111MODULE: 'off', GOPATH: `${join(STAGE, 'go')}:${GOPATH_DEBIAN}`, GOCACHE: process.env.GOCACHE ?? join(STAGE, 'go-cache'), GOFLAGS: '' },
      });
    },
    write: (service, entries, out) => run(join(STAGE, 'zap-writer'), ['-service', service, '-entries', entries, '-out', out]),
  },
  {
    library: 'structlog',
    services: ['fraud-check'],
    missing: () => (has(PYTHON, ['-c', 'import structlog']) ? null : `${PYTHON} cannot import structlog (apt-get install python3-structlog)`),
    versions: () => ({ structlog: execFileSync(PYTHON, ['-c', 'import importlib.metadata as m; print(m.version("structlog"))'], { encoding: 'utf8' }).trim(), python: execFileSync(PYTHON, ['-c', 'import platform; print(platform.python_version())'], { encoding: 'utf8' }).trim() }),
    prepare() {
      cpSync(join(HERE, 'structlog'), join(STAGE, 'fraud-check'), { recursive: true, filter: (src) => !src.includes('__pycache__') });
    },
    write: (service, entries, out) => run(PYTHON, ['-B', join(STAGE, 'fraud-check', 'fraud_check.py'), entries, out]),
  },
];

const GZIPPED = new Set(['inventory-service']);
const fileOf = (service) => (GZIPPED.has(service) ? `${service}.log.gz` : `${service}.log`);

/**
 * The damaged disk: the line of each call marked `truncate` is cut to that fraction of its
 * length, after the library wrote it.
 */
function damage(text, entries) {
  const lines = text.split('\n');
  for (const e of entries.filter((x) => x.truncate)) {
    const i = lines.findIndex((line) => line.includes(e.ids.trace_id) && (line.includes(`"msg":"${e.msg}"`) || line.includes(`"event": "${e.msg}"`)));
    if (i < 0) throw new Error(`no line to truncate for ${e.msg} of ${e.ids.trace_id}`);
    lines[i] = lines[i].slice(0, Math.floor(lines[i].length * e.truncate));
  }
  return lines.join('\n');
}

function main() {
  const rng = makeRng(SEED);
  const shop = makeShop(rng);
  const plan = planTraces(rng);
  for (const { at, kind, trace } of plan) shop.serve(trace, kind, at);
  backgroundLines(shop, rng);

  rmSync(STAGE, { recursive: true, force: true });
  mkdirSync(join(STAGE, 'entries'), { recursive: true });
  mkdirSync(join(STAGE, 'out'), { recursive: true });
  const files = [];
  const libraries = {};
  for (const writer of WRITERS) {
    const why = writer.missing();
    if (why) {
      console.log(`examples: ${writer.services.join(', ')} skipped (kept as committed): ${why}`);
      continue;
    }
    writer.prepare();
    Object.assign(libraries, writer.versions());
    for (const service of writer.services) {
      const { path, entries } = entriesFile(shop, service);
      const out = join(STAGE, 'out', `${service}.log`);
      writer.write(service, path, out);
      const text = damage(readFileSync(out, 'utf8'), entries);
      const bytes = GZIPPED.has(service) ? gzipSync(text, { level: 9 }) : Buffer.from(text);
      writeFileSync(join(OUT_DIR, fileOf(service)), bytes);
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      files.push({ file: fileOf(service), service, library: writer.library, lines, bytes: bytes.length });
      console.log(`examples/${fileOf(service)}: ${lines} lines, ${bytes.length} bytes (${writer.library})`);
    }
  }
  rmSync(STAGE, { recursive: true, force: true });
  if (files.length < Object.keys(SERVICES).length) {
    console.log('examples: README.md and record.json left as they were (not every service was written)');
    return;
  }
  const order = Object.keys(SERVICES);
  files.sort((a, b) => order.indexOf(a.service) - order.indexOf(b.service));
  writeFileSync(join(OUT_DIR, 'README.md'), readme(files, libraries));
  writeFileSync(join(HERE, 'record.json'), JSON.stringify(record(plan, shop, files, libraries), null, 2) + '\n');
}

main();
