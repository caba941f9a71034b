// Writes test/fixtures/hostile-terminal/evil.log: one pino logger whose service name, message,
// fields and error carry terminal escapes (CSI, OSC title and clipboard, a C1 CSI, bidi), for
// the interactive view's escaping test (test/tui/terminal.test.ts). Every line is written by real
// pino; the Error is real, thrown from a function whose name is an escape, so its stack has one.
// Times are fixed through pino's `timestamp` option, so the file is the same on every run.
//
//   cd corpus/generators/zoo-npm && npm ci && node hostile-terminal.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';

const OUT = fileURLToPath(new URL('../../../test/fixtures/hostile-terminal/', import.meta.url));
export const TRACE_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

let nowMs = Date.parse('2026-11-25T21:00:00Z');
const written = [];
const logger = pino(
  { base: { pid: 4242, hostname: 'web-1', service: 'evil\u001b[31m-svc' }, timestamp: () => `,"time":${nowMs}` },
  { write: (line) => written.push(line) },
);
const span = logger.child({ trace_id: TRACE_ID, span_id: '1111111111111111' });

// One frame, the escape's own: the interactive view's test scrolls to it with the note in view.
Error.stackTraceLimit = 1;
const clears = { ['\u001b[2Jx']() { return new Error('bad \u001b]52;c;cHduZWQ=\u0007'); } };

span.info({ note: '\u009b31mred' }, 'hello \u001b[2J\u001b]0;pwned\u0007 \u202eevil');
nowMs += 5;
span.error({ err: clears['\u001b[2Jx'](), duration_ms: 5 }, 'boom \u001b[5mblink');

mkdirSync(OUT, { recursive: true });
writeFileSync(`${OUT}evil.log`, written.join(''));
console.log(`wrote ${written.length} lines of trace ${TRACE_ID} to ${OUT}evil.log`);
