import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../support/run-cli.js';
import { tailUntil } from '../support/tail-until.js';

// Issue 13 items 7 and 12a: `tail` on a .gz prints its last lines decompressed, once, and says
// it is not followed; `tail DIR` is a usage error instead of a silent wait.

const GZ = 'examples/inventory-service.log.gz';
const GZ_LINES = gunzipSync(readFileSync(join(REPO_ROOT, GZ))).toString('utf8').trimEnd().split('\n');

describe('tail and gzip files (spawned CLI)', () => {
  it("on the README's own glob, -n 2 prints the .gz file's last 2 lines decompressed, then says it is not followed", async () => {
    const r = await tailUntil(['examples/*.log*', '-n', '2'], /not followed/);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u001f\ufffd]/);
    const inventory = r.stdout.split('\n').filter((l) => / inventory-service /.test(l));
    expect(inventory).toHaveLength(2);
    expect(inventory[1]).toContain(JSON.parse(GZ_LINES.at(-1)!).msg);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(10); // 2 lines of each of the 5 files
    expect(r.stderr).toBe(`mcp-trace: ${GZ} is gzipped, so a finished file: read once, not followed\n`);
    // One service column for the whole backlog, as wide as its longest service (item 12).
    const levelAt = r.stdout.trimEnd().split('\n').map((l) => l.search(/ (DEBUG|INFO|WARN|ERROR) /));
    expect(new Set(levelAt)).toEqual(new Set([13 + 'inventory-service'.length]));
  });

  it('--from-start prints every line of the archive once; without -n none, and the tail ends by itself', async () => {
    const all = await tailUntil([GZ, '--from-start'], /not followed/);
    expect(all.stdout.trimEnd().split('\n')).toHaveLength(GZ_LINES.length);
    const none = await runCli(['tail', GZ], { timeoutMs: 10_000 });
    expect([none.code, none.stdout]).toEqual([0, '']);
    expect(none.stderr).toContain('not followed');
  });

  it('-n on a cut-off archive gives the last lines before the cut and says where reading stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-trace-gz-'));
    const bytes = readFileSync(join(REPO_ROOT, GZ));
    writeFileSync(join(dir, 'cut.log.gz'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const r = await tailUntil(['cut.log.gz', '-n', '3'], /read up to there/, dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} cut +(INFO|DEBUG|WARN|ERROR) /);
    expect(r.stderr).toBe('mcp-trace: cut.log.gz: the gzip data ends early; read up to there\n');
  });
});

describe('tail DIR (spawned CLI)', () => {
  it('says the folder is a directory and how to name its files, exit 2', async () => {
    for (const dir of ['examples', 'examples/']) {
      const r = await runCli(['tail', dir], { timeoutMs: 10_000 });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`mcp-trace: ${dir} is a directory: name its files, e.g. 'examples/*.log'\n`);
    }
  });

});
