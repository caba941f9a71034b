import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// The Explore link of `show` and `traces`: decoded and checked part by part against the format
// Grafana 10.2+ reads (`schemaVersion=1&panes={…}`: public/app/features/explore/hooks/
// useStateSync/migrators/v1.ts), for the bundled example trace.
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const EXAMPLES = 'examples/*.log*';

interface Pane {
  datasource?: string;
  queries: Array<{ refId: string; expr: string; queryType: string; datasource?: { type: string; uid: string } }>;
  range: { from: string; to: string };
}

function decode(link: string): { base: string; params: URLSearchParams; pane: Pane } {
  const url = new URL(link);
  const panes = JSON.parse(url.searchParams.get('panes')!) as Record<string, Pane>;
  expect(Object.keys(panes)).toHaveLength(1);
  const [id, pane] = Object.entries(panes)[0]!;
  // Grafana keeps a pane id of 3 characters with a letter, else makes up its own.
  expect(id).toMatch(/^(?=.*[a-z])[a-z0-9]{3}$/);
  return { base: `${url.origin}${url.pathname}`, params: url.searchParams, pane };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** No Grafana from the machine running the tests: no GRAFANA_URL, an empty config home. */
function noGrafana(): Record<string, string | undefined> {
  const home = mkdtempSync(join(tmpdir(), 'no-grafana-'));
  dirs.push(home);
  return { GRAFANA_URL: undefined, GRAFANA_DATASOURCE: undefined, XDG_CONFIG_HOME: home };
}

describe('Grafana Explore links', () => {
  it('show --json carries the link: the trace query, the Loki datasource and the trace window ± 30 s', async () => {
    const shown = await runCli(['show', TRACE, EXAMPLES, '--json'], { env: noGrafana() });
    const trace = JSON.parse(shown.stdout) as { startUnixNano: string; durationMs: number; grafanaExploreUrl?: string };
    expect(trace.grafanaExploreUrl).toBeUndefined();

    const r = await runCli(['show', TRACE, EXAMPLES, '--json', '--grafana-url', 'https://grafana.example.com/sub/', '--grafana-datasource', 'P8E80F9AEF21F6940'], { env: noGrafana() });
    expect(r.code, r.stderr).toBe(0);
    const { grafanaExploreUrl } = JSON.parse(r.stdout) as { grafanaExploreUrl: string };
    const { base, params, pane } = decode(grafanaExploreUrl);
    expect(base).toBe('https://grafana.example.com/sub/explore');
    expect(params.get('schemaVersion')).toBe('1');
    expect(pane.datasource).toBe('P8E80F9AEF21F6940');
    expect(pane.queries).toEqual([
      { refId: 'A', expr: `{service_name=~".+"} |= "${TRACE}"`, queryType: 'range', datasource: { type: 'loki', uid: 'P8E80F9AEF21F6940' } },
    ]);
    const startMs = Number(BigInt(trace.startUnixNano) / 1_000_000n);
    expect(Number(pane.range.from)).toBe(startMs - 30_000);
    expect(Number(pane.range.to)).toBe(Math.ceil(startMs + trace.durationMs) + 30_000);
  });

  it('show prints the link under the tree; GRAFANA_URL and --service work as for Loki', async () => {
    const r = await runCli(['show', TRACE, EXAMPLES, '--service', 'payment-service,fraud-check'], { env: { ...noGrafana(), GRAFANA_URL: 'http://localhost:3000' } });
    expect(r.code, r.stderr).toBe(0);
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    expect(last).toMatch(/^Grafana Explore: http:\/\/localhost:3000\/explore\?schemaVersion=1&panes=%7B/);
    const { pane } = decode(last.slice('Grafana Explore: '.length));
    expect(pane.datasource).toBeUndefined();
    expect(pane.queries[0]!.expr).toBe(`{service_name=~"payment-service|fraud-check"} |= "${TRACE}"`);
  });

  it('traces --json gives each row its link; a profile key supplies the address', async () => {
    const home = mkdtempSync(join(tmpdir(), 'grafana-profile-'));
    dirs.push(home);
    mkdirSync(join(home, 'mcp-trace'));
    writeFileSync(join(home, 'mcp-trace', 'config.json'), JSON.stringify({ defaultProfile: 'shop', profiles: { shop: { grafanaUrl: 'https://g.example', grafanaDatasource: 'loki-uid' } } }));
    // The default profile: files are read, and its Grafana keys still apply (--profile would mean Loki).
    const r = await runCli(['traces', EXAMPLES, '--json', '--limit', '3'], { env: { GRAFANA_URL: undefined, GRAFANA_DATASOURCE: undefined, XDG_CONFIG_HOME: home } });
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Array<{ traceId: string; startUnixNano: string; durationMs: number; grafanaExploreUrl: string }>;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      const { base, pane } = decode(row.grafanaExploreUrl);
      expect(base).toBe('https://g.example/explore');
      expect(pane.datasource).toBe('loki-uid');
      expect(pane.queries[0]!.expr).toBe(`{service_name=~".+"} |= "${row.traceId}"`);
      expect(Number(pane.range.from)).toBe(Number(BigInt(row.startUnixNano) / 1_000_000n) - 30_000);
    }
    const plain = JSON.parse((await runCli(['traces', EXAMPLES, '--json', '--limit', '3'], { env: noGrafana() })).stdout) as object[];
    expect(plain[0]).not.toHaveProperty('grafanaExploreUrl');
  });

  it('a Grafana address that is not one is a usage error', async () => {
    const r = await runCli(['show', TRACE, EXAMPLES, '--grafana-url', 'grafana.example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mcp-trace: the Grafana address 'grafana.example.com' is not a URL; write it like https://grafana.example.com\n");
  });
});
