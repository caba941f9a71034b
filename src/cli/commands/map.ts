import { Command, Option } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import { serviceMapOf, type ServiceMap } from '../../analyse/service-map.js';
import type { TraceFilter } from '../../analyse/trace-list.js';
import { foldTraces } from '../../collect/fold-traces.js';
import { UsageError } from '../../errors.js';
import type { NormaliseOptions } from '../../normalise/normalise.js';
import { listWindow, lokiWindowSource, splitList, whereToRead, type SourceFlags } from '../check-traces-source.js';
import { chooseColour } from '../colour.js';
import { durationArg, addColourOptions } from '../flags.js';
import { addLokiOptions, addWindowOptions } from '../loki-options.js';
import { LOKI_PAGING_FLAGS, refuseLokiOnlyFlags } from '../loki-only-flags.js';
import { withReadingProgress } from '../progress.js';
import { openLocalSources } from '../source-options.js';
import { addFieldOptions, normaliseOptionsFrom } from '../field-options.js';
import { writeOut } from '../terminal.js';

/** `map`'s output modes: each loads only its renderer. */
const MAP_OUTPUTS = {
  text: async (m: ServiceMap, color: boolean) => (await import('../../render/service-map.js')).renderMapText(m, { color }),
  mermaid: async (m: ServiceMap) => (await import('../../render/service-map.js')).renderMapMermaid(m),
  dot: async (m: ServiceMap) => (await import('../../render/service-map.js')).renderMapDot(m),
  json: async (m: ServiceMap) => (await import('../../render/service-map.js')).renderMapJson(m),
} as const;
type MapFormat = keyof typeof MAP_OUTPUTS;

interface MapOptions extends SourceFlags, NormaliseOptions {
  format: MapFormat;
  json?: boolean;
  errors?: boolean;
  minDuration?: number;
  service?: string;
  color?: boolean;
}

export function registerMap(program: Command): void {
  const cmd = program
    .command('map')
    .description(COMMAND_LIST.map.summary)
    .argument('[sources...]', "log files or globs ('-' = standard input; piped input is read when none are named)")
    .addOption(new Option('--format <format>', 'text (default), mermaid (a flowchart), dot (Graphviz) or json').choices(Object.keys(MAP_OUTPUTS)).default('text'))
    .option('--json', 'the same as --format json')
    .option('--errors', 'only traces with a failing span')
    .option('--min-duration <duration>', 'only traces that took at least this long (500ms, 2s)', durationArg('--min-duration'))
    .option('--service <names>', 'only traces that touch these services (comma-separated)');
  addColourOptions(cmd);
  addWindowOptions(cmd, { filesToo: true });
  addLokiOptions(cmd);
  addFieldOptions(cmd);
  cmd.action(async (sourceArgs: string[], options: MapOptions) => {
    if (options.json && cmd.getOptionValueSource('format') === 'cli' && options.format !== 'json') {
      throw new UsageError(`--json is --format json: it cannot be combined with --format ${options.format}`);
    }
    const format: MapFormat = options.json ? 'json' : options.format;
    const where = whereToRead(sourceArgs, options);
    if (where.kind === 'local') refuseLokiOnlyFlags(cmd, LOKI_PAGING_FLAGS, () => null);
    const window = listWindow(options, where.kind === 'loki');
    const filter: TraceFilter = { errors: options.errors, minDurationMs: options.minDuration, services: splitList(options.service) };
    if (where.kind === 'local' && window) Object.assign(filter, { fromNs: window.fromNs, toNs: window.toNs });
    // Facts only, as `traces` reads: each trace is assembled and analysed as `show` would,
    // added to the map's aggregates and dropped.
    const normalise = { ...normaliseOptionsFrom(options), attributes: false };
    const source = where.kind === 'loki' ? await lokiWindowSource(where, window!, { services: filter.services }) : await openLocalSources(sourceArgs);
    const { fold } = await withReadingProgress((onProgress) => foldTraces(source, normalise, { onProgress }));
    await writeOut(await MAP_OUTPUTS[format](serviceMapOf(fold.finish(), filter), chooseColour(options.color).color));
  });
}
