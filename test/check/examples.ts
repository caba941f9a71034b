import { join } from 'node:path';
import { assembleTrace } from '../../src/assemble/assemble.js';
import { TraceFold } from '../../src/assemble/trace-facts.js';
import { foldTraces } from '../../src/collect/fold-traces.js';
import { openLocalSources } from '../../src/cli/source-options.js';
import { newStats, type LogRecord, type Trace } from '../../src/types.js';
import { REPO_ROOT } from '../support/run-cli.js';

// The bundled example logs (examples/README.md) read through the real sources and normaliser,
// so these tests judge what users will see.

export const DEEP_FAILURE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const TIMEOUT = '8d2c6a91f04e4b7fa3e15c9b07d6e218';
export const SLOW = 'd3b07384d113edec49eaa6238ad5ff00';
export const TRACE_ID_ONLY = '1764061260000-9f86d081';
export const SPAN_IDS_ONLY = 'c3a1f9e27b4d40c8915e6f2a8d3b7c05';
export const DECLINED = '7b2e9d4c1a0f48e3b6d5c2a1f0e9d8c7';
export const PANIC = '6e1f3b0c9a8d47f2b5c4e3a2d1f09e87';

export const EXAMPLE_GLOB = join(REPO_ROOT, 'examples', '*.log*');

let cached: Promise<Map<string, LogRecord[]>> | null = null;

export function exampleRecords(): Promise<Map<string, LogRecord[]>> {
  cached ??= (async () => {
    // The fold keeps each trace's records when asked: one read gives every example trace's lines.
    const { fold } = await foldTraces(await openLocalSources([EXAMPLE_GLOB], true), {}, { into: { fold: new TraceFold(true), stats: newStats() } });
    return new Map(fold.finish().map((t) => [t.traceId, t.records!]));
  })();
  return cached;
}

export async function exampleTrace(id: string): Promise<Trace> {
  const records = (await exampleRecords()).get(id);
  if (!records) throw new Error(`example trace ${id} not found: has examples/ changed?`);
  return assembleTrace(id, records);
}
