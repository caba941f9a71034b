// A Grafana Explore link that opens a trace's lines in Loki: the LogQL query the Loki source
// runs for the trace (sources/loki/logql.ts), over the trace's time window.
//
// URL format: Grafana 10.2 and later (11, 12) keep Explore's state in
// `/explore?schemaVersion=1&panes={"<pane id>":{"datasource":…,"queries":[…],"range":{…}}}`
// (grafana/grafana public/app/features/explore/hooks/useStateSync/migrators/v1.ts). Grafana up
// to 10.1 used `left={…}` instead; 10.2+ still reads `left=` but migrates it lossily, so the
// current format is the one written.
import { traceQuery, type TraceQueryOptions } from '../sources/loki/logql.js';

export interface GrafanaTarget {
  /** Grafana's address, e.g. https://grafana.example.com (a sub-path is kept). */
  url: string;
  /** The Loki datasource's uid; without it Explore opens the default datasource. */
  datasource?: string;
}

/** Explore's time range is this much wider than the trace on each side: clocks drift, lines lag. */
export const EXPLORE_MARGIN_MS = 30_000;

/** Pane ids are 3 characters with a letter; Grafana replaces any other. */
const PANE_ID = 'mcp';

export interface ExploreState {
  datasource?: string;
  expr: string;
  fromMs: number;
  toMs: number;
}

/** The Explore URL for a LogQL query over [fromMs, toMs] (unix ms). */
export function exploreUrl(grafana: GrafanaTarget, state: ExploreState): string {
  const datasource = state.datasource === undefined ? {} : { datasource: state.datasource };
  const query = {
    refId: 'A',
    expr: state.expr,
    queryType: 'range',
    ...(state.datasource === undefined ? {} : { datasource: { type: 'loki', uid: state.datasource } }),
  };
  const panes = { [PANE_ID]: { ...datasource, queries: [query], range: { from: String(state.fromMs), to: String(state.toMs) } } };
  const base = grafana.url.replace(/\/+$/, '');
  return `${base}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

/**
 * The link for a trace: `{service_name=~".+"} |= "<id>"` (with --selector and --service as the
 * Loki source applies them) over the trace's start and end, widened by EXPLORE_MARGIN_MS.
 */
export function traceExploreUrl(
  grafana: GrafanaTarget,
  trace: { traceId: string; startNs: bigint; endNs: bigint },
  query: TraceQueryOptions = {},
): string {
  const fromMs = Number(trace.startNs / 1_000_000n) - EXPLORE_MARGIN_MS;
  // Rounded up, so a trace that ends within a millisecond is still inside the range.
  const toMs = Number((trace.endNs + 999_999n) / 1_000_000n) + EXPLORE_MARGIN_MS;
  return exploreUrl(grafana, { datasource: grafana.datasource, expr: traceQuery(trace.traceId, query), fromMs, toMs });
}
