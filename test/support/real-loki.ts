import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { REPO_ROOT } from './run-cli.js';

/**
 * A real Grafana Loki 2.8.0 for integration tests, from ../shared/loki (or $MCP_TRACE_LOKI_BIN, a
 * folder holding the same files). The binary is gunzipped once per machine into the temp folder
 * (keyed by the archive's size and time), each server gets a fresh data folder and free ports.
 */
export const LOKI_DIR = resolve(process.env.MCP_TRACE_LOKI_BIN ?? join(REPO_ROOT, '..', 'shared', 'loki'));
const LOKI_GZ = join(LOKI_DIR, 'loki-2.8.0-linux-amd64.gz');
const LOKI_CONFIG = join(LOKI_DIR, 'loki-test.yaml');
export const LOGCLI_GZ = join(LOKI_DIR, 'logcli-2.8.0-linux-amd64.gz');

/** Why the real-Loki tests cannot run here, or null when they can. */
export const realLokiMissing: string | null = (() => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `real-Loki tests skipped: the Loki binary is linux/amd64, this is ${process.platform}/${process.arch}`;
  if (!existsSync(LOKI_GZ) || !existsSync(LOKI_CONFIG)) return `real-Loki tests skipped: no Loki 2.8.0 at ${LOKI_DIR} (set MCP_TRACE_LOKI_BIN to a folder with loki-2.8.0-linux-amd64.gz and loki-test.yaml)`;
  return null;
})();

/** Says once, visibly, why a real-Loki file is skipped (vitest shows skips only as counts). */
export function announceSkip(file: string): void {
  if (realLokiMissing) process.stderr.write(`${file}: ${realLokiMissing}\n`);
}

/** Gunzips an archive into the shared temp cache once; concurrent callers race safely via rename. */
async function unpacked(gz: string): Promise<string> {
  const st = statSync(gz);
  const dir = join(tmpdir(), 'mcp-trace-real-loki');
  mkdirSync(dir, { recursive: true });
  const name = gz.split('/').pop()!.replace(/\.gz$/, '');
  const target = join(dir, `${name}-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (existsSync(target)) return target;
  const partial = `${target}.${process.pid}.${Date.now()}.part`;
  await pipeline(createReadStream(gz), createGunzip(), createWriteStream(partial, { mode: 0o755 }));
  renameSync(partial, target);
  return target;
}

export function logcliBinary(): Promise<string> {
  return unpacked(LOGCLI_GZ);
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

export interface PushEntry {
  labels: Record<string, string>;
  /** Unix ns. */
  timeNs: bigint;
  line: string;
}

export interface RealLoki {
  url: string;
  dataDir: string;
  /** Loki's own stdout+stderr, for failure messages. */
  output(): string;
  /** Pushes entries (grouped into streams by labels), in bodies of at most `batch` entries. */
  push(entries: readonly PushEntry[], batch?: number): Promise<void>;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** Starts again on the same data folder and ports (the WAL is replayed), and waits for /ready. */
  start(): Promise<void>;
  /** Stops and removes the data folder. */
  close(): Promise<void>;
  get running(): boolean;
}

const READY_TIMEOUT_MS = 60_000;

/** Starts a Loki on free ports with a fresh data folder and waits until it answers "ready". */
export async function startRealLoki(): Promise<RealLoki> {
  if (realLokiMissing) throw new Error(realLokiMissing);
  const binary = await unpacked(LOKI_GZ);
  const dataDir = mkdtempSync(join(tmpdir(), 'mcp-trace-loki-data-'));
  let httpPort = await freePort();
  let grpcPort = await freePort();
  let url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let log = '';

  const start = async (): Promise<void> => {
    const proc = spawn(binary, [`-config.file=${LOKI_CONFIG}`, '-config.expand-env=true'], {
      env: { ...process.env, LOKI_DATA: dataDir, LOKI_HTTP_PORT: String(httpPort), LOKI_GRPC_PORT: String(grpcPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dirname(dataDir),
    });
    child = proc;
    const keep = (d: Buffer): void => {
      log = (log + d.toString('utf8')).slice(-20_000);
    };
    proc.stdout!.on('data', keep);
    proc.stderr!.on('data', keep);
    exited = new Promise((done) => proc.on('exit', () => done()));
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (gone) throw new Error(`Loki exited while starting:\n${log.slice(-3000)}`);
      try {
        const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(2000) });
        if (res.ok && (await res.text()).trim() === 'ready') break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`Loki was not ready within ${READY_TIMEOUT_MS / 1000}s:\n${log.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };

  // A free port is free when asked, not when Loki binds it: with other suites starting servers
  // at once, another process can take it in between. Then try other ports.
  for (let attempt = 1; ; attempt++) {
    try {
      await start();
      break;
    } catch (err) {
      if (attempt >= 3 || !/address already in use/.test(String(err))) throw err;
      [httpPort, grpcPort] = [await freePort(), await freePort()];
      url = `http://127.0.0.1:${httpPort}`;
    }
  }
  return {
    url,
    dataDir,
    output: () => log,
    get running() {
      const proc = child as ChildProcess | null;
      return proc !== null && proc.exitCode === null && proc.signalCode === null;
    },
    push: (entries, batch = 2000) => pushEntries(url, entries, batch),
    stop,
    start,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function pushEntries(url: string, entries: readonly PushEntry[], batch = 2000): Promise<void> {
  for (let i = 0; i < entries.length; i += batch) {
    const streams = new Map<string, { stream: Record<string, string>; values: [string, string][] }>();
    for (const e of entries.slice(i, i + batch)) {
      const key = JSON.stringify(Object.entries(e.labels).sort());
      let s = streams.get(key);
      if (!s) streams.set(key, (s = { stream: e.labels, values: [] }));
      s.values.push([e.timeNs.toString(), e.line]);
    }
    const res = await fetch(`${url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ streams: [...streams.values()] }),
    });
    if (res.status !== 204) throw new Error(`push to Loki answered ${res.status}: ${await res.text()}`);
  }
}

/** Waits until `check` holds (a query sees what was pushed), polling. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await check();
    if (got) return got;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Counts what the real server returns for a query, straight from the API (for asserting what reached it). */
export async function countLines(url: string, query: string, startNs: bigint, endNs: bigint): Promise<number> {
  const u = new URL(`${url}/loki/api/v1/query_range`);
  u.searchParams.set('query', query);
  u.searchParams.set('start', startNs.toString());
  u.searchParams.set('end', endNs.toString());
  u.searchParams.set('limit', '5000');
  const res = await fetch(u);
  if (!res.ok) throw new Error(`query_range answered ${res.status}: ${await res.text()}`);
  const doc = (await res.json()) as { data: { result: Array<{ values: unknown[] }> } };
  return doc.data.result.reduce((n, s) => n + s.values.length, 0);
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
