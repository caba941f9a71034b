import { FIXTURES } from '../loki/fixtures.js';
import { readFileSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * An in-process stand-in for Loki's websocket tail endpoint (`/loki/api/v1/tail`) on 127.0.0.1.
 * Each connection is handed to the next script in `sessions`; a script sends frames (the recorded
 * fixture frames byte for byte, or built ones), pings, drops the socket (the client sees 1006) or
 * closes with a code and reason, as Loki does. `reject` answers before the upgrade instead
 * (Loki's 400 for a bad delay_for). Every request is recorded so tests can check what reached
 * the server.
 */

export const LOKI_FIXTURES = FIXTURES;

/** The messages of a recorded tail_*.ndjson file, each exactly as Loki sent it. */
export function tailFixtureFrames(name: string): string[] {
  return readFileSync(resolve(LOKI_FIXTURES, name), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

export function lokiFixture(name: string): string {
  return readFileSync(resolve(LOKI_FIXTURES, name), 'utf8');
}

export interface TailRequest {
  url: URL;
  query: string | null;
  start: string | null;
  limit: string | null;
  delayFor: string | null;
  headers: IncomingMessage['headers'];
}

export interface FakeSession {
  request: TailRequest;
  /** Sends one text message as is. */
  send(text: string): void;
  ping(): void;
  /** Kills the TCP connection without a close frame: the client sees 1006. */
  drop(): void;
  close(code: number, reason: string): void;
  /** Resolves when the client has gone. */
  readonly ended: Promise<void>;
}

export type SessionScript = (session: FakeSession) => void | Promise<void>;

export interface PreUpgradeAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface FakeLokiTailOptions {
  /** Script per connection, in order; connections past the end are held open silently. */
  sessions: SessionScript[];
  /** Answer a request before the upgrade instead of accepting it. */
  reject?: (request: TailRequest) => PreUpgradeAnswer | null;
  /** Listen on this port (to come back where a stopped server was); default any free port. */
  port?: number;
}

export interface FakeLokiTail {
  /** Base address, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: TailRequest[];
  close(): Promise<void>;
}

/** A server of its own that only does the tail endpoint (plain HTTP requests get Loki's 404). */
export async function startFakeLokiTail(options: FakeLokiTailOptions): Promise<FakeLokiTail> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found');
  });
  const tail = attachFakeLokiTail(server, options);
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: tail.requests,
    close: async () => {
      tail.close();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

/**
 * Adds the tail endpoint to an existing HTTP server, e.g. the query_range fake's
 * (test/support/fake-loki.ts), so one address answers both like a real Loki.
 */
export function attachFakeLokiTail(server: Server, options: FakeLokiTailOptions): { requests: TailRequest[]; close: () => void } {
  const requests: TailRequest[] = [];
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });
  let next = 0;

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request: TailRequest = {
      url,
      query: url.searchParams.get('query'),
      start: url.searchParams.get('start'),
      limit: url.searchParams.get('limit'),
      delayFor: url.searchParams.get('delay_for'),
      headers: req.headers,
    };
    requests.push(request);
    if (url.pathname !== '/loki/api/v1/tail') {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 18\r\n\r\n404 page not found');
      return;
    }
    const rejection = options.reject?.(request);
    if (rejection) {
      const body = Buffer.from(rejection.body, 'utf8');
      socket.end(
        `HTTP/1.1 ${rejection.status} ${STATUS_CODES[rejection.status] ?? 'Error'}\r\ncontent-type: ${rejection.contentType}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${rejection.body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const ended = new Promise<void>((done) => ws.on('close', () => done()));
      ws.on('close', () => sockets.delete(ws));
      const script = options.sessions[next++];
      const session: FakeSession = {
        request,
        send: (text) => ws.readyState === ws.OPEN && ws.send(text),
        ping: () => ws.readyState === ws.OPEN && ws.ping(),
        drop: () => ws.terminate(),
        close: (code, reason) => ws.close(code, reason),
        ended,
      };
      void Promise.resolve(script?.(session)).catch(() => ws.terminate());
    });
  });

  return {
    requests,
    close: () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
    },
  };
}

/** One entry as Loki's tail frames carry it. */
export interface TailEntry {
  labels: Record<string, string>;
  ts: string;
  line: string;
}

/** The entries of a frame, in order (one stream object per entry, as Loki sends them). */
export function frameEntries(frame: string): TailEntry[] {
  const doc = JSON.parse(frame) as { streams: Array<{ stream: Record<string, string>; values: [string, string][] }> };
  return doc.streams.flatMap((s) => s.values.map(([ts, line]) => ({ labels: s.stream, ts, line })));
}

/** A frame in Loki's shape: one stream object per entry. */
export function buildFrame(entries: readonly TailEntry[], dropped: ReadonlyArray<{ timestamp: string; labels: Record<string, string> }> = []): string {
  const doc: Record<string, unknown> = { streams: entries.map((e) => ({ stream: e.labels, values: [[e.ts, e.line]] })) };
  if (dropped.length > 0) doc.dropped_entries = dropped;
  return JSON.stringify(doc);
}

/**
 * What Loki replays when a tail starts at `start` (inclusive): the newest `limit` entries at or
 * after it, oldest first, as one frame.
 */
export function historyFrame(store: readonly TailEntry[], start: string | null, limit: string | null): string {
  const from = BigInt(start ?? '0');
  const matching = store.filter((e) => BigInt(e.ts) >= from).sort((a, b) => (BigInt(a.ts) < BigInt(b.ts) ? -1 : BigInt(a.ts) > BigInt(b.ts) ? 1 : 0));
  const n = Number(limit ?? '100');
  return buildFrame(matching.slice(Math.max(0, matching.length - n)));
}
