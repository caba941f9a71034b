import { setFlagsFromString } from 'node:v8';

let done = false;

/**
 * `traces` keeps a small live state (per-trace summaries) while churning through short-lived
 * per-line garbage. V8's default lets the old generation grow to ~4× the live size between full
 * collections, which made peak RSS several times the summaries' size; growing by half keeps the
 * peak close to what is live, at no measurable CPU cost (full collections of a small live set are
 * cheap). Process-wide, so set once by the commands that stream whole inputs.
 */
export function preferLeanHeap(): void {
  if (done) return;
  done = true;
  setFlagsFromString('--heap-growing-percent=50');
}
