// One thread's share of `traces` on big files: claim units (range-claims.ts), read their lines in
// place with the scan kernel, normalise them and fold them into trace summaries. The main thread
// and the workers run the same loop.
//
// Reads follow the serial reader's grid (sources/scan/file-scan.ts: units are its segments, read
// chunk by chunk the same way). Records that span lines (container pieces, stack traces) are held
// across reads within a stretch (normalise/line-groups.ts); where a thread's stretch of units
// begins or ends inside a file, the cut moves to a clean start (clean-start.ts), so they come out
// as the serial reader makes them.

import { closeSync, openSync } from 'node:fs';
import { TraceSummaries } from '../assemble/trace-summary.js';
import { SourceError } from '../errors.js';
import { newLineGroups, type LineGroups } from '../normalise/line-groups.js';
import type { NormaliseOptions } from '../normalise/normalise.js';
import { fileRangeSteps, scanFileRange } from '../sources/scan/file-range.js';
import { createKernel, type ScanKernel } from '../sources/scan/kernel.js';
import { EMPTY_PLAN } from '../sources/scan/needle-plan.js';
import { lineRegions } from '../sources/scan/region-scan.js';
import { newStats, type LogRecord, type RawLine, type ScanStats } from '../types.js';
import { isCleanStart } from './clean-start.js';
import type { RangeClaims } from './range-claims.js';
import type { PlannedFile, ReadPlan } from './read-plan.js';
import { endNormalise, normaliseBatch, type RecordSink } from './read-records.js';

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

/**
 * Reads segment `own` front to back into one stretch, then takes units from the back of the
 * busiest segment until none is left. Units taken one after another from the same back join
 * into one stretch, the later merged into the earlier (merge order is input order).
 */
export async function summariseClaimed(plan: ReadPlan, claims: RangeClaims, own: number, normalise: NormaliseOptions, hooks: UnitHooks = {}): Promise<Stretch[]> {
  const reader = new StretchReader(plan, normalise);
  const stretches: Stretch[] = [];
  try {
    let current: OpenStretch | null = null;
    for (let k = claims.claimFront(own); k >= 0; k = claims.claimFront(own)) {
      current ??= reader.begin(k);
      reader.read(current, k);
      hooks.onBytes?.(unitBytes(plan, k));
      await hooks.between?.();
    }
    if (current) stretches.push(reader.end(current));
    let stolen: Stretch | null = null;
    for (let s = claims.busiest(); s >= 0; s = claims.busiest()) {
      const k = claims.claimBack(s);
      if (k < 0) continue;
      const open = reader.begin(k);
      reader.read(open, k);
      const piece = reader.end(open);
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

/** A stretch being read: its summaries and the line-joining state that runs across its units. */
interface OpenStretch extends Stretch {
  groups: LineGroups;
  sink: RecordSink;
  /** Lines of each file read so far: line numbers run on across units (a jump would break a stack). */
  lineNos: Map<number, number>;
  /** Still looking for the clean start of a stretch that begins inside a file. */
  skipping: boolean;
}

/** How decoded lines are taken: all, skipped up to a clean start, or taken up to one. */
type Mode = 'all' | 'skip' | 'until-clean';

/** Reads units into stretches: one kernel buffer and one descriptor per file, reused. */
class StretchReader {
  private readonly kernel: ScanKernel;
  private readonly fds = new Map<number, number>();
  private lines: RawLine[] = [];
  private origin = '';
  private labels: Record<string, string> | undefined;
  private lineBase = 0;
  private mode: Mode = 'all';
  /** Set when a clean start ended an 'until-clean' read. */
  private reachedClean = false;
  private readonly region: (start: number, end: number, lineBase: number) => number;

  constructor(
    private readonly plan: ReadPlan,
    private readonly normalise: NormaliseOptions,
  ) {
    this.kernel = createKernel(EMPTY_PLAN, plan.chunkBytes);
    // Lines as the serial reader decodes them; `mode` decides which of them this stretch takes.
    this.region = lineRegions(this.kernel, true, (text, lineNo) => {
      const raw: RawLine = { text, origin: this.origin, lineNo: this.lineBase + lineNo };
      if (this.labels) raw.labels = this.labels;
      if (this.mode === 'skip') {
        if (!isCleanStart(raw, this.normalise)) return;
        this.mode = 'all';
      } else if (this.mode === 'until-clean') {
        if (this.reachedClean || isCleanStart(raw, this.normalise)) {
          this.reachedClean = true;
          return;
        }
      }
      this.lines.push(raw);
    });
  }

  begin(k: number): OpenStretch {
    const summaries = new TraceSummaries();
    const sink: RecordSink = { keep: (r: LogRecord) => Boolean(r.traceId), onRecord: (r: LogRecord) => summaries.add(r) };
    // A stretch that starts inside a file leaves the lines before the first clean start to the stretch before it.
    const skipping = this.plan.units[k]!.from > 0;
    return { first: k, last: k, summaries, stats: newStats(), groups: newLineGroups(), sink, lineNos: new Map(), skipping };
  }

  /** Adds unit `k`'s lines to the stretch (which must hold the units just before it). */
  read(stretch: OpenStretch, k: number): void {
    const unit = this.plan.units[k]!;
    const file = this.plan.files[unit.file]!;
    // A file's first line is a clean start: nothing of another file reaches into it.
    if (unit.from === 0) stretch.skipping = false;
    this.guarded(file, () => {
      this.mode = stretch.skipping ? 'skip' : 'all';
      const fd = this.select(unit.file, stretch);
      const lines = scanFileRange(fd, this.kernel, unit.from, unit.to, file.size, this.plan.chunkBytes, (start, end, base) => this.feed(stretch, start, end, base));
      stretch.skipping = this.mode === 'skip';
      stretch.lineNos.set(unit.file, this.lineBase + lines);
      stretch.stats.bytesRead += unit.to - unit.from;
    });
    stretch.last = k;
  }

  /** Finishes a stretch: reads on to the next clean start when the file goes on, then ends its input. */
  end(stretch: OpenStretch): Stretch {
    const unit = this.plan.units[stretch.last]!;
    const file = this.plan.files[unit.file]!;
    if (unit.to < file.size && !stretch.skipping) {
      this.guarded(file, () => {
        this.mode = 'until-clean';
        this.reachedClean = false;
        const fd = this.select(unit.file, stretch);
        const steps = fileRangeSteps(fd, this.kernel, unit.to, file.size, file.size, this.plan.chunkBytes, (start, end, base) => this.feed(stretch, start, end, base));
        while (!this.reachedClean && !steps.next().done);
      });
    }
    endNormalise(stretch.groups, this.normalise, stretch.stats, stretch.sink);
    return { first: stretch.first, last: stretch.last, summaries: stretch.summaries, stats: stretch.stats };
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  /** One read's lines, normalised as one batch (as the serial reader does with the same read). */
  private feed(stretch: OpenStretch, start: number, end: number, base: number): number {
    const n = this.region(start, end, base);
    if (this.lines.length > 0) {
      stretch.stats.linesRead += this.lines.length;
      normaliseBatch(this.lines, this.normalise, stretch.stats, stretch.sink, stretch.groups);
      this.lines = [];
    }
    return n;
  }

  private select(file: number, stretch: OpenStretch): number {
    const planned = this.plan.files[file]!;
    this.origin = planned.path;
    this.labels = planned.labels;
    this.lineBase = stretch.lineNos.get(file) ?? 0;
    let fd = this.fds.get(file);
    if (fd === undefined) this.fds.set(file, (fd = openSync(planned.path, 'r')));
    return fd;
  }

  private guarded(file: PlannedFile, read: () => void): void {
    try {
      read();
    } catch (err) {
      this.lines = [];
      throw err instanceof SourceError ? err : new SourceError(`cannot read ${file.path}: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}
