// Types for score-lib.mjs (plain ESM, so `node scripts/score.mjs` needs no build).
export declare const CORPUS_ROOT: string;
export interface CorpusRow { name: string; dir: string; truthPath: string }
export interface DiscoveredCorpus { corpus: string; dir: string; exists: boolean; rows: CorpusRow[] }
export interface Rate { rate: number | null; [key: string]: number | null }
export interface Figures {
  corpus: string;
  name: string;
  variant: string;
  parents: string;
  traces: { total: number; show: number; traces: number; found: number; rate: number | null };
  traceId: Rate;
  spans: { logged: number; recalled: number; extra: number; recall: number | null };
  service: Rate;
  parent: Rate;
  parentService: Rate;
  error: { tp: number; fp: number; fn: number; precision: number | null; recall: number | null };
  warning: { tp: number; fp: number; fn: number; precision: number | null; recall: number | null } | null;
  duration: { spans: number; medianErrorMs: number | null; within: number; withinRate: number | null };
  skew: { affected: number; found: number; childrenOutside: number; rate: number | null } | null;
  falseShiftTraces: number;
  examples: Record<string, string[]>;
  elapsedMs: number;
}
export interface ScoredCorpus { corpus: string; rows: Figures[] }
export interface Variant { variant: string; description: string; skew: Array<{ service: string; offsetMs: number }>; damagedLines: number; expect: { parents: string } }
export type Target = Record<string, number | boolean>;
export declare function discoverCorpus(name: string, root?: string): DiscoveredCorpus;
export declare function discoverAll(root?: string): DiscoveredCorpus[];
export declare function sourcesOf(dir: string): string[];
export declare function idKeys(id: string | null | undefined): string[];
export declare function traceIdsEqual(a: string, b: string): boolean;
export declare function matchSpans(truthTrace: unknown, out: unknown, variant: Variant): Map<unknown, unknown>;
export declare function newTally(): unknown;
export declare function scoreTrace(tally: unknown, truthTrace: unknown, out: unknown, listed: boolean, variant: Variant): void;
export declare function figuresOf(name: string, corpus: string, variant: Variant, tally: unknown): Figures;
export declare function scoreVariant(corpus: string, row: CorpusRow): Promise<Figures>;
export declare function scoreCorpus(discovered: DiscoveredCorpus): Promise<ScoredCorpus>;
export declare function scoreAll(root?: string, only?: string[] | null): Promise<ScoredCorpus[]>;
export declare function rowMatches(rowName: string, targetName: string): boolean;
export declare function checkTarget(fig: Figures, target: Target): string[];
export declare function loadTargets(): Record<string, Record<string, Target>>;
export declare function renderTable(scored: ScoredCorpus): string;
