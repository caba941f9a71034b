// `show`'s output modes, one registry: each mode names what it is for and loads only its own
// renderer (start-up is a large part of a small `show`). The command parses flags, runs the
// analysis once, and hands the result to the chosen mode.
import type { CriticalSection } from '../analyse/critical-path.js';
import { UsageError } from '../errors.js';
import type { ScanStats, Trace } from '../types.js';

/** What every mode gets: the analysed trace and what reading it took. */
export interface ShowResult {
  trace: Trace;
  stats: ScanStats;
  critical: readonly CriticalSection[];
  /** The trace's Grafana Explore link, when a Grafana is configured (--grafana-url). */
  exploreUrl?: string;
}

export interface ShowFlags {
  logs?: boolean;
  criticalPath?: boolean;
  stats?: boolean;
  color?: boolean;
  width?: number;
}

/** Draws a result in one mode. */
export type ShowRender = (result: ShowResult, flags: ShowFlags) => Promise<string> | string;

interface ShowOutput {
  description: string;
  /** Drawn for people: --logs, --stats, --critical-path, --width and colour apply. */
  forPeople: boolean;
  /**
   * Whether it shows the trace's lines (with these flags). When it does not, the trace is folded
   * without keeping them, as `traces` folds: what the mode draws comes from the span facts.
   */
  showsLines(flags: ShowFlags): boolean;
  /**
   * Loads the mode's own modules and gives its renderer. `show` calls it before reading, so that
   * they load while Loki answers or the files are read, and awaits it to draw.
   */
  load(): Promise<ShowRender>;
}

/** An export: the trace converted for another tool, written as one line of JSON. */
function exportMode(description: string, load: () => Promise<(trace: Trace) => unknown>): ShowOutput {
  return {
    description,
    forPeople: false,
    showsLines: () => true,
    load: async () => {
      const [convert, { stringifyForTerminal }] = await Promise.all([load(), import('../render/json.js')]);
      return (r) => stringifyForTerminal(convert(r.trace), 0) + '\n';
    },
  };
}

export const SHOW_OUTPUTS = {
  tree: {
    description: 'the call tree with a waterfall (default)',
    forPeople: true,
    showsLines: (f) => f.logs === true,
    load: async () => {
      const { renderForTerminal } = await import('./show-terminal.js');
      return (r, f) => renderForTerminal(r, { ...f, format: 'tree' });
    },
  },
  logs: {
    description: "the trace's lines merged in time order",
    forPeople: true,
    showsLines: () => true,
    load: async () => {
      const { renderForTerminal } = await import('./show-terminal.js');
      return (r, f) => renderForTerminal(r, { ...f, format: 'logs' });
    },
  },
  json: {
    description: 'one JSON object with stable names (README: show --json)',
    forPeople: false,
    showsLines: (f) => f.logs === true,
    load: async () => {
      const { renderJson } = await import('../render/json.js');
      return (r, f) => renderJson(r.trace, r.stats, { critical: r.critical, logs: f.logs, exploreUrl: r.exploreUrl });
    },
  },
  html: {
    description: 'one self-contained HTML page: a waterfall to open in a browser (no network)',
    forPeople: false,
    showsLines: () => true,
    load: async () => {
      const { renderHtml } = await import('../render/html/export-html.js');
      return (r) => renderHtml(r.trace, r.critical);
    },
  },
  mermaid: {
    description: 'a Mermaid sequence diagram of the calls between services (for Markdown)',
    forPeople: false,
    showsLines: () => false,
    load: async () => {
      const { renderMermaidSequence } = await import('../render/mermaid-sequence.js');
      return (r) => renderMermaidSequence(r.trace);
    },
  },
  // The exports are one line each: the OTel Collector's file exporter format, which `show` reads back.
  otlp: exportMode('OTLP/JSON spans, for an OpenTelemetry collector or viewer', async () => (await import('../render/export-otlp.js')).toOtlp),
  jaeger: exportMode("Jaeger UI's JSON upload format", async () => (await import('../render/export-jaeger.js')).toJaeger),
  chrome: exportMode('Chrome trace events, for chrome://tracing or Perfetto', async () => (await import('../render/export-chrome.js')).toChrome),
  // Full screen until the user leaves; it writes nothing to keep, so its text is empty.
  interactive: {
    description: 'the interactive terminal view (the same as -i; needs a terminal)',
    forPeople: true,
    showsLines: () => true,
    load: async () => {
      const { showInteractive } = await import('./show-interactive.js');
      return (r, f) => showInteractive(r, f);
    },
  },
} satisfies Record<string, ShowOutput>;

export type ShowFormat = keyof typeof SHOW_OUTPUTS;
export const SHOW_FORMATS = Object.keys(SHOW_OUTPUTS) as ShowFormat[];

/**
 * The mode the flags ask for. `--json` is `--format json`; flags that only change a drawing
 * for people are a usage error with a machine format, rather than silently ignored. The JSON
 * carries each span's critical-path time always, and its lines with --logs.
 */
export function chooseShowOutput(format: ShowFormat, json: boolean | undefined, flags: ShowFlags, formatGiven: boolean): ShowFormat {
  if (json && formatGiven && format !== 'json') throw new UsageError(`--json is --format json: it cannot be combined with --format ${format}`);
  const chosen: ShowFormat = json ? 'json' : format;
  if (chosen === 'interactive' && flags.stats) throw new UsageError('--stats prints tables; the interactive view (-i) does not show them: drop one of the two');
  if (!SHOW_OUTPUTS[chosen].forPeople) {
    if (flags.stats) throw new UsageError(`--stats prints tables for people; it does not combine with --format ${chosen}`);
    // With JSON, --logs adds each span's lines and their fields; an export carries them already.
    if (flags.logs && chosen !== 'json') throw new UsageError(`--logs does not combine with --format ${chosen}: the export carries every line already`);
  }
  return chosen;
}
