// `show`'s composition once the flags are checked: read the trace (Loki or files), analyse it
// once, and hand it to the chosen output mode. Apart from the command so that `show --loki`
// can send its first requests before these modules load (commands/show.ts).
import { analyseTrace } from '../analyse/analyse-trace.js';
import { criticalPath } from '../analyse/critical-path.js';
import { assembleTrace } from '../assemble/assemble.js';
import { collectTrace, nearestHint } from '../collect/collect-trace.js';
import { NotFoundError } from '../errors.js';
import { traceExploreUrl, type GrafanaTarget } from '../render/grafana-link.js';
import type { ShowOptions } from './commands/show.js';
import type { LokiTraceSource } from './loki-trace-source.js';
import { localNotFoundMessage } from './not-found-message.js';
import { withReadingProgress } from './progress.js';
import { serviceNote } from './service-note.js';
import { SHOW_OUTPUTS, type ShowFormat } from './show-outputs.js';
import { openLocalSources } from './source-options.js';
import { writeMessage, writeOut } from './terminal.js';
import { notFoundInWindowMessage } from './time-window.js';

export interface ShowPlan {
  output: ShowFormat;
  grafana: GrafanaTarget | null;
}

export async function showTrace(traceIdArg: string, sourceArgs: readonly string[], loki: LokiTraceSource | null, plan: ShowPlan, options: ShowOptions): Promise<void> {
  // From Loki, the renderer loads while Loki answers (a failed load is reported when drawing).
  // Files are read on this thread, so there is nothing to overlap, and module reads in flight
  // would make a Ctrl-C end by the signal rather than exit 130 (leaveOnInterrupt, terminal.ts).
  const early = loki ? SHOW_OUTPUTS[plan.output].load() : null;
  early?.catch(() => {});
  const source = loki?.source ?? (await openLocalSources(sourceArgs));
  // The typed id, not its canonical form: 8–31 hex is also a prefix of the whole id.
  const { traceId, records, stats, nearest, unattached } = await withReadingProgress((onProgress) => collectTrace(source, traceIdArg, options, { onProgress }));
  if (records.length === 0) {
    throw new NotFoundError(
      loki
        ? notFoundInWindowMessage(traceIdArg, source.description, loki.window)
        : localNotFoundMessage(traceIdArg, source.description, stats) + nearestHint(nearest),
    );
  }
  const note = serviceNote(records);
  if (note !== null) writeMessage(note, process.stderr, 'note');
  const keepRecords = SHOW_OUTPUTS[plan.output].showsLines(options);
  const trace = analyseTrace(assembleTrace(traceId, records, unattached, keepRecords), { adjust: options.skewAdjust, maxSkewMs: options.maxSkew });
  // Analysis runs here, once, whatever the output: the JSON carries the critical path too.
  // The link runs the query the Loki source runs for the trace, whatever was read here: logs
  // read from files are usually shipped to Loki too.
  const { grafana } = plan;
  const exploreUrl = grafana ? traceExploreUrl(grafana, trace, { selector: options.selector, services: options.service?.split(',') }) : undefined;
  const result = { trace, stats, critical: criticalPath(trace), exploreUrl };
  const render = await (early ?? SHOW_OUTPUTS[plan.output].load());
  await writeOut(await render(result, options));
}
