// One thread's share of `traces` on big files: claim units (range-claims.ts), read their lines in
// place with the scan kernel, normalise them and fold them into trace summaries. The main thread
// and the workers run the same loop.

import { closeSync, openSync } from 'node:fs';
import { TraceSummaries } from '../assemble/trace-summary.js';
import { SourceError } from '../errors.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { scanFileRange } from '../sources/scan/file-range.js';
import { createKernel } from '../sources/scan/kernel.js';
import { EMPTY_PLAN } from '../sources/scan/needle-plan.js';
import { lineRegions } from '../sources/scan/region-scan.js';
import { newStats, type LogRecord, type RawLine, type ScanStats } from '../types.js';
import type { RangeClaims } from './range-claims.js';
import type { PlannedFile, ReadPlan, ReadUnit } from './read-plan.js';
import { normaliseBatch } from './read-records.js';

/** Consecutive units [first, last] summarised by one reader, in input order. */
export interface Stretch {
  first: number;
  last: number;
  summaries: TraceSummaries;
  stats: ScanStats;
}

export interface UnitHooks {
  /** Bytes of input done since the last call. */
  onBytes?: (bytes: number) => void;
  /** Awaited between units: the main thread lets its event loop run (worker messages, spinner). */
  between?: () => Promise<void>;
}

/** Bytes per read: the kernel's memory is reused, so this is all a reader holds of the file. */
const CHUNK_BYTES = 512 << 10;

/**
 * Reads segment `own` front to back into one stretch, then takes units from the back of the
 * busiest segment until none is left. Units taken one after another from the same back join
 * into one stretch, the later merged into the earlier (merge order is input order).
 */
export async function summariseClaimed(plan: ReadPlan, claims: RangeClaims, own: number, normalise: NormaliseOptions, hooks: UnitHooks = {}): Promise<Stretch[]> {
  const reader = new UnitReader(plan, normalise);
  const stretches: Stretch[] = [];
  try {
    let current: Stretch | null = null;
    for (let k = claims.claimFront(own); k >= 0; k = claims.claimFront(own)) {
      current ??= newStretch(k);
      reader.read(k, current);
      hooks.onBytes?.(unitBytes(plan, k));
      await hooks.between?.();
    }
    if (current) stretches.push(current);
    let stolen: Stretch | null = null;
    for (let s = claims.busiest(); s >= 0; s = claims.busiest()) {
      const k = claims.claimBack(s);
      if (k < 0) continue;
      const piece = newStretch(k);
      reader.read(k, piece);
      if (stolen && stolen.first === k + 1) {
        piece.summaries.merge(stolen.summaries.state());
        addStats(piece.stats, stolen.stats);
        piece.last = stolen.last;
      } else if (stolen) {
        stretches.push(stolen);
      }
      stolen = piece;
      hooks.onBytes?.(unitBytes(plan, k));
      await hooks.between?.();
    }
    if (stolen) stretches.push(stolen);
  } finally {
    reader.close();
  }
  return stretches;
}

function newStretch(k: number): Stretch {
  return { first: k, last: k, summaries: new TraceSummaries(), stats: newStats() };
}

function unitBytes(plan: ReadPlan, k: number): number {
  const u = plan.units[k]!;
  return u.to - u.from;
}

export function addStats(into: ScanStats, from: ScanStats): void {
  into.linesRead += from.linesRead;
  into.linesMatched += from.linesMatched;
  into.malformedLines += from.malformedLines;
  into.bytesRead += from.bytesRead;
}

/** Reads units into stretches: one kernel buffer and one descriptor per file, reused. */
class UnitReader {
  private readonly kernel = createKernel(EMPTY_PLAN, CHUNK_BYTES);
  private readonly fds = new Map<number, number>();
  private lines: RawLine[] = [];
  private origin = '';
  private labels: Record<string, string> | undefined;
  private readonly region = lineRegions(this.kernel, true, (text, lineNo) => {
    const raw: RawLine = { text, origin: this.origin, lineNo };
    if (this.labels) raw.labels = this.labels;
    this.lines.push(raw);
  });

  constructor(
    private readonly plan: ReadPlan,
    private readonly normalise: NormaliseOptions,
  ) {}

  /** Adds unit `k`'s lines to `into` (which must hold the units just before it, or none). */
  read(k: number, into: Stretch): void {
    const unit = this.plan.units[k]!;
    const file = this.plan.files[unit.file]!;
    try {
      this.readUnit(unit, file, into);
    } catch (err) {
      throw err instanceof SourceError ? err : new SourceError(`cannot read ${file.path}: ${(err as Error)?.message ?? String(err)}`);
    }
    into.last = k;
  }

  private readUnit(unit: ReadUnit, file: PlannedFile, into: Stretch): void {
    let fd = this.fds.get(unit.file);
    if (fd === undefined) this.fds.set(unit.file, (fd = openSync(file.path, 'r')));
    this.origin = file.path;
    this.labels = file.labels;
    const summaries = into.summaries;
    const stats = into.stats;
    const sink = { keep: (r: LogRecord) => Boolean(r.traceId), onRecord: (r: LogRecord) => summaries.add(r) };
    // Each read's lines are normalised before the next read: a unit's lines are never all held.
    const lines = scanFileRange(fd, this.kernel, unit.from, unit.to, file.size, CHUNK_BYTES, (start, end, lineBase) => {
      const n = this.region(start, end, lineBase);
      normaliseBatch(this.lines, this.normalise, stats, sink);
      this.lines = [];
      return n;
    });
    stats.linesRead += lines;
    stats.bytesRead += unit.to - unit.from;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
