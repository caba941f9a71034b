import { analyseTrace } from '../../src/analyse/analyse-trace.js';
import { criticalPath } from '../../src/analyse/critical-path.js';
import { assembleTrace } from '../../src/assemble/assemble.js';
import { openLocalSources } from '../../src/cli/source-options.js';
import { collectTrace } from '../../src/collect/collect-trace.js';
import { traceModel, type TraceModel } from '../../src/tui/trace-model.js';
import { REPO_ROOT } from '../support/run-cli.js';

/** The failing checkout of examples/ (fraud-check → payment → order → gateway), as `show` reads it. */
export const CHECKOUT = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A trace of examples/ read through the pipeline `show` runs: sources, fold, assembly, analysis. */
export async function exampleModel(traceId: string = CHECKOUT): Promise<TraceModel> {
  const source = await openLocalSources([`${REPO_ROOT}examples/*.log*`], true);
  const { traceId: id, records, stats } = await collectTrace(source, traceId, {});
  const trace = analyseTrace(assembleTrace(id, records));
  return traceModel(trace, stats, criticalPath(trace));
}
