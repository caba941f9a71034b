// The typical trace of an operation: the shape (trace-shape.ts) whose figures are the medians
// over up to N traces with the same root service and name. Traces are added one at a time and
// dropped; what is kept is one list of values per group and figure, each at most N long, so
// memory follows the number of distinct groups times N, never the number of traces read.
import { assembleFacts } from '../assemble/assemble.js';
import type { TraceFacts } from '../assemble/trace-facts.js';
import type { SpanKind, Trace } from '../types.js';
import { analyseTrace, type SkewChoice } from './analyse-trace.js';
import { traceRow } from './trace-rows.js';
import { diffShapes, DEFAULT_THRESHOLD, traceSide, type DiffReport, type NoiseThreshold } from './trace-diff.js';
import { groupKey, shapeOf, type ShapeNode, type TraceShape } from './trace-shape.js';

export const DEFAULT_BASELINE_LIMIT = 200;

/** Per group, the values seen in the traces where it was present (absent traces count as 0). */
interface GroupValues {
  service: string;
  name: string;
  kind: SpanKind | null;
  callee: string | null;
  count: number[];
  totalMs: number[];
  selfMs: number[];
  criticalMs: number[];
  errors: number[];
  children: Map<string, GroupValues>;
}

export interface Baseline {
  /** The root operation the baseline is of. */
  rootService: string;
  rootName: string;
  /** Traces the medians are over (at most the limit). */
  traces: number;
  /** Traces of the operation that were left out because the limit was reached. */
  leftOut: number;
  shape: TraceShape;
}

export class BaselineBuilder {
  private readonly roots = new Map<string, GroupValues>();
  private readonly durations: number[] = [];
  private readonly spanCounts: number[] = [];
  private readonly errorCounts: number[] = [];
  private readonly serviceSelf = new Map<string, number[]>();
  private leftOut = 0;

  constructor(
    readonly rootService: string,
    readonly rootName: string,
    private readonly limit: number = DEFAULT_BASELINE_LIMIT,
  ) {}

  get traces(): number {
    return this.durations.length;
  }

  /** Adds an analysed trace of the operation; beyond the limit it is only counted. */
  add(trace: Trace): void {
    if (this.durations.length >= this.limit) {
      this.leftOut++;
      return;
    }
    const shape = shapeOf(trace);
    this.durations.push(shape.durationMs);
    this.spanCounts.push(shape.spanCount);
    this.errorCounts.push(shape.errorCount);
    for (const [service, ms] of shape.serviceSelfMs) listIn(this.serviceSelf, service).push(ms);
    const work: Array<{ nodes: readonly ShapeNode[]; into: Map<string, GroupValues> }> = [{ nodes: shape.roots, into: this.roots }];
    while (work.length > 0) {
      const { nodes, into } = work.pop()!;
      for (const node of nodes) {
        const key = groupKey(node);
        let values = into.get(key);
        if (!values) {
          values = { service: node.service, name: node.name, kind: node.kind, callee: node.callee, count: [], totalMs: [], selfMs: [], criticalMs: [], errors: [], children: new Map() };
          into.set(key, values);
        }
        values.count.push(node.count);
        values.totalMs.push(node.totalMs);
        values.selfMs.push(node.selfMs);
        values.criticalMs.push(node.criticalMs);
        values.errors.push(node.errors);
        if (node.children.length > 0) work.push({ nodes: node.children, into: values.children });
      }
    }
  }

  result(): Baseline {
    const n = this.durations.length;
    const serviceSelfMs = new Map<string, number>();
    for (const [service, values] of this.serviceSelf) serviceSelfMs.set(service, median(values, n));
    return {
      rootService: this.rootService,
      rootName: this.rootName,
      traces: n,
      leftOut: this.leftOut,
      shape: {
        roots: typicalGroups(this.roots, n),
        durationMs: median(this.durations, n),
        spanCount: Math.round(median(this.spanCounts, n)),
        errorCount: Math.round(median(this.errorCounts, n)),
        serviceSelfMs,
      },
    };
  }
}

/**
 * The groups of the typical trace: those present in at least half of the traces, each figure
 * the median over all of them (a trace without the group counts 0).
 */
function typicalGroups(groups: ReadonlyMap<string, GroupValues>, n: number): ShapeNode[] {
  const roots: ShapeNode[] = [];
  const work: Array<{ groups: ReadonlyMap<string, GroupValues>; into: ShapeNode[] }> = [{ groups, into: roots }];
  while (work.length > 0) {
    const level = work.pop()!;
    for (const values of level.groups.values()) {
      if (values.count.length * 2 < n) continue;
      const node: ShapeNode = {
        service: values.service,
        name: values.name,
        kind: values.kind,
        callee: values.callee,
        count: Math.max(1, Math.round(median(values.count, n))),
        totalMs: median(values.totalMs, n),
        selfMs: median(values.selfMs, n),
        criticalMs: median(values.criticalMs, n),
        errors: Math.round(median(values.errors, n)),
        spanIds: [],
        children: [],
      };
      level.into.push(node);
      if (values.children.size > 0) work.push({ groups: values.children, into: node.children });
    }
  }
  return roots;
}

/** The median of `values` padded with zeros to `n` values (the traces where it was absent). */
export function median(values: readonly number[], n: number = values.length): number {
  if (n === 0) return 0;
  const all = [...values, ...new Array<number>(Math.max(0, n - values.length)).fill(0)].sort((x, y) => x - y);
  const mid = Math.floor(all.length / 2);
  return all.length % 2 === 1 ? all[mid]! : (all[mid - 1]! + all[mid]!) / 2;
}

/**
 * The baseline for `target` over folded traces: every other trace with the same root service and
 * name, in reading order, up to `limit`, each assembled and analysed as `show` would and dropped.
 */
export function baselineFor(target: Trace, traces: Iterable<TraceFacts>, limit: number, skew: SkewChoice): Baseline | null {
  const root = traceRow(target);
  if (root.rootService === null || root.rootName === null) return null;
  const builder = new BaselineBuilder(root.rootService, root.rootName, limit);
  for (const facts of traces) {
    if (facts.traceId === target.traceId) continue;
    const trace = analyseTrace(assembleFacts(facts), skew);
    const row = traceRow(trace);
    if (row.rootService === root.rootService && row.rootName === root.rootName) builder.add(trace);
  }
  return builder.result();
}

function listIn<K>(map: Map<K, number[]>, key: K): number[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** A trace compared with the baseline of its operation: the baseline is side A. */
export function compareWithBaseline(target: Trace, baseline: Baseline, threshold: NoiseThreshold = DEFAULT_THRESHOLD): DiffReport {
  const a = baseline.shape;
  return {
    diff: diffShapes(a, shapeOf(target), threshold),
    a: { traceId: null, durationMs: a.durationMs, spanCount: a.spanCount, errorCount: a.errorCount, rootService: baseline.rootService, rootName: baseline.rootName, baselineTraces: baseline.traces },
    b: traceSide(target),
  };
}
