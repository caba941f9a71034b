import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// pino-http (examples/api-gateway.log, written by the real pino-http through
// corpus/generators/examples) logs a failed request at info, level 30, with its `err` and the
// status. `tail --errors` keeps what fails a span in `show`, so those lines are error lines.
describe('tail --errors on real pino-http lines', () => {
  it("keeps pino-http's info-level 'request errored' lines beside the error-level ones", async () => {
    const input = readFileSync(join(REPO_ROOT, 'examples/api-gateway.log'), 'utf8');
    const errored = input.split('\n').filter((l) => l.includes('"msg":"request errored"'));
    expect(errored.length).toBeGreaterThan(0);
    expect(errored.every((l) => l.startsWith('{"level":30,'))).toBe(true);
    const r = await runCli(['tail', '--errors', '--no-color'], { stdin: input });
    expect(r.code).toBe(0);
    const shown = r.stdout.trimEnd().split('\n');
    const requestErrored = shown.filter((l) => / INFO .* request errored status=5\d\d /.test(l));
    expect(requestErrored).toHaveLength(errored.length);
    // Nothing else at info: a plain 'request completed' is not an error line.
    expect(shown.filter((l) => / INFO /.test(l) && !/request errored/.test(l))).toEqual([]);
    expect(shown.some((l) => / ERROR .*upstream order-service failed/.test(l))).toBe(true);
  });
});
