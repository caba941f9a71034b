import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { normaliseLine } from '../../src/normalise/normalise.js';
import type { FakeEntry } from '../support/fake-loki.js';
import { REPO_ROOT } from '../support/run-cli.js';

/** The example logs as a Loki would hold them: one stream per service, entries at the lines' own times. */
export function exampleEntries(): FakeEntry[] {
  const files = ['api-gateway.log', 'order-service.log', 'payment-service.log', 'fraud-check.log', 'inventory-service.log.gz'];
  const entries: FakeEntry[] = [];
  for (const file of files) {
    const raw = readFileSync(join(REPO_ROOT, 'examples', file));
    const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const service = file.replace(/\.log(\.gz)?$/, '');
    let last = 1_764_061_200_000_000_000n;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const timeNs = normaliseLine({ text: line, origin: file, lineNo: 0 })?.[0]?.timeNs ?? last;
      last = timeNs;
      entries.push({ labels: { service_name: service }, timeNs, line });
    }
  }
  return entries;
}

export const EXAMPLE_WINDOW = ['--from', '2025-11-25T08:59:00Z', '--to', '2025-11-25T09:10:00Z'];
