// A Loki (or anything answering on its tail endpoint) may send faster than lines are printed.
// The tail must stop reading the socket while its reader is behind, so TCP holds the sender back
// and memory stays bounded whatever the server sends: here 60 MB of frames from a server in its
// own process, against a reader that takes one batch and then waits.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { newStats } from '../../src/types.js';
import { lokiConnection } from '../../src/sources/loki/config.js';
import { LokiTailSource } from '../../src/sources/loki/tail.js';

let server: ChildProcess | null = null;
afterEach(() => {
  server?.kill();
  server = null;
});

const FRAMES = 1200;

// The flooding server: on each tail connection, FRAMES frames of 100 real lines of the bundled
// examples (written by the example shop's loggers), as fast as the socket takes them, then it
// reports how many it could hand to the kernel before the client stopped reading.
const SERVER = `
const { readFileSync } = require('node:fs');
const { WebSocketServer } = require('ws');
const lines = readFileSync('examples/api-gateway.log', 'utf8').split('\\n').filter((l) => l.startsWith('{')).slice(0, 100);
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' }, () => console.log('port ' + wss.address().port));
wss.on('connection', (ws) => {
  let i = 0;
  const frame = () => JSON.stringify({ streams: [{ stream: { service_name: 'api-gateway' }, values: lines.map((l, j) => [String(1795641370000000000n + BigInt(i * lines.length + j) * 1000n), l]) }] });
  const pump = () => {
    // Send while the socket's buffer drains; stop when it stays full (the client is not reading).
    while (i < ${FRAMES} && ws.bufferedAmount < 4_000_000) { ws.send(frame()); i++; }
    if (i < ${FRAMES}) setTimeout(pump, 20);
  };
  pump();
  setTimeout(() => console.log('sent ' + i), 2500);
});
`;

it('a server that floods the tail is held back while the reader waits: the client takes in a few MB, not the 60 MB sent', async () => {
  server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out: string[] = [];
  server.stdout!.setEncoding('utf8').on('data', (d: string) => out.push(...d.trim().split('\n')));
  while (!out.some((l) => l.startsWith('port '))) await new Promise((r) => setTimeout(r, 20));
  const port = out.find((l) => l.startsWith('port '))!.slice(5);

  const source = new LokiTailSource(lokiConnection(`http://127.0.0.1:${port}`, {}), { query: '{service_name=~".+"}', nowNs: () => 1795641370000000000n, backoff: { initialMs: 1, maxMs: 5 } });
  const controller = new AbortController();
  const reader = source.read({ stats: newStats(), signal: controller.signal })[Symbol.asyncIterator]();
  expect((await reader.next()).done).toBe(false);
  // The reader now waits while the server sends what it can.
  while (!out.some((l) => l.startsWith('sent '))) await new Promise((r) => setTimeout(r, 50));
  const sent = Number(out.find((l) => l.startsWith('sent '))!.slice(5));
  // Each frame is ~50 KB: what the server got out is what the client's socket buffers and its
  // 64-frame queue hold, plus the kernel's buffers; without the pause it would be every frame.
  expect(sent).toBeLessThan(FRAMES / 4);
  controller.abort();
  await reader.return?.();
}, 20_000);
