// One websocket connection to Loki's tail endpoint as an async stream of events that ends with
// the connection. The tail source (tail.ts) decides what each event means; this file only turns
// the socket's callbacks into events, and holds the socket back while the reader is behind.
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';

export type SessionEvent =
  | { kind: 'open' }
  | { kind: 'frame'; data: string }
  | { kind: 'alive' }
  | { kind: 'http'; status: number; contentType: string; body: string }
  | { kind: 'error'; error: NodeJS.ErrnoException }
  | { kind: 'idle' }
  | { kind: 'close'; code: number; reason: string };

export interface Session {
  events: AsyncIterable<SessionEvent>;
  /** Ends the session normally (the user is done). */
  close(): void;
  /** Drops the socket without ceremony (cleanup). */
  terminate(): void;
}

/** One websocket connection as a stream of events that ends with the connection. */
export function openSession(url: URL, options: WebSocket.ClientOptions, idleTimeoutMs: number): Session {
  const queue = new EventQueue<SessionEvent>();
  const ws = new WebSocket(url, options);
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      queue.push({ kind: 'idle' });
      ws.terminate();
    }, idleTimeoutMs);
  };
  ws.on('upgrade', armIdle);
  ws.on('open', () => {
    armIdle();
    queue.push({ kind: 'open' });
  });
  ws.on('message', (data: WebSocket.RawData) => {
    armIdle();
    queue.push({ kind: 'frame', data: rawText(data) });
    // A server may send faster than lines are printed: stop reading the socket (TCP then holds
    // the server back) until the reader has caught up, so memory stays bounded.
    if (queue.length >= MAX_QUEUED_EVENTS) {
      ws.pause();
      queue.onDrained(() => ws.resume());
    }
  });
  ws.on('ping', () => {
    armIdle();
    queue.push({ kind: 'alive' });
  });
  ws.on('unexpected-response', (req, res: IncomingMessage) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      queue.push({
        kind: 'http',
        status: res.statusCode ?? 0,
        contentType: String(res.headers['content-type'] ?? ''),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      req.destroy();
      queue.end();
    });
    res.on('error', () => queue.end());
  });
  ws.on('error', (error: NodeJS.ErrnoException) => queue.push({ kind: 'error', error }));
  ws.on('close', (code: number, reason: Buffer) => {
    clearTimeout(idleTimer);
    queue.push({ kind: 'close', code, reason: reason.toString('utf8') });
    queue.end();
  });
  return {
    events: queue,
    close: () => {
      clearTimeout(idleTimer);
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    },
    terminate: () => {
      clearTimeout(idleTimer);
      if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
    },
  };
}

function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Frames held for the reader before the socket is paused. */
const MAX_QUEUED_EVENTS = 64;

/** Push-based events consumed with for-await; ends after end(). */
class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: (() => void) | null = null;
  private drained: (() => void) | null = null;
  private ended = false;

  get length(): number {
    return this.items.length;
  }

  /** Calls `f` once, when the reader has taken every queued item. */
  onDrained(f: () => void): void {
    this.drained = f;
  }

  push(item: T): void {
    if (this.ended) return;
    this.items.push(item);
    this.waiting?.();
  }

  end(): void {
    this.ended = true;
    this.waiting?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    while (true) {
      if (this.items.length > 0) {
        yield this.items.shift()!;
        if (this.items.length === 0 && this.drained) {
          const resume = this.drained;
          this.drained = null;
          resume();
        }
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.waiting = resolve));
      this.waiting = null;
    }
  }
}
