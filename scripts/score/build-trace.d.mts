// Types for build-trace.mjs (the scorer is plain ESM so `node scripts/score.mjs` needs no build).
export declare const CLI: string;
export interface ShowJson {
  traceId: string;
  spans: Array<Record<string, unknown> & { spanId: string; parentSpanId: string | null; service: string }>;
  [key: string]: unknown;
}
export declare function buildTrace(traceIdArg: string, files: readonly string[], flags?: Record<string, unknown>): Promise<ShowJson | null>;
export declare function listTraces(files: readonly string[], options?: { limit?: number }): Promise<string[]>;
export declare function runCli(args: readonly string[], options?: { cwd?: string }): Promise<{ code: number | null; stdout: string; stderr: string }>;
