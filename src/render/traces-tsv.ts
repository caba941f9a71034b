import type { TraceRow } from '../analyse/trace-rows.js';
import { roundMs } from './json.js';
import { sanitize } from './sanitize.js';

/** Column names as `traces --json` names the same fields, so scripts can switch between them. */
const HEAD = ['traceId', 'start', 'durationMs', 'spanCount', 'errorCount', 'services', 'rootService', 'rootName', 'rootStatus'];

/**
 * `traces --format tsv`: a header line, then one line per row, tab-separated, for cut, sort and
 * awk. Nothing is cut or coloured; start is ISO 8601 UTC. Log text is sanitised, which also
 * writes a tab or newline inside a value as `\t` or `\n`, so a value never splits a row.
 */
export function renderTracesTsv(rows: readonly TraceRow[]): string {
  const lines = [HEAD.join('\t')];
  for (const r of rows) {
    lines.push(
      [
        sanitize(r.traceId),
        r.startNs === 0n ? '' : new Date(Number(r.startNs / 1_000_000n)).toISOString(),
        String(roundMs(r.durationMs)),
        String(r.spanCount),
        String(r.errorCount),
        r.services.map((s) => sanitize(s)).join(','),
        r.rootService === null ? '' : sanitize(r.rootService),
        r.rootName === null ? '' : sanitize(r.rootName),
        r.rootStatus === null ? '' : r.rootStatus.kind === 'http' ? String(r.rootStatus.status) : `grpc ${r.rootStatus.code}`,
      ].join('\t'),
    );
  }
  return lines.join('\n') + '\n';
}
