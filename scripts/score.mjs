#!/usr/bin/env node
// npm run score [-- --json] [-- corpus...]: fidelity of mcp-trace against the corpora in corpus/
// (ground truth from real exporters; corpus/README.md). One table per corpus; --json prints the
// figures. --root reads corpora from another folder. --check also compares them with scripts/score/targets.json (exit 1 on a miss not listed in its _knownGaps).
import { checkTarget, CORPUS_ROOT, discoverAll, loadTargets, renderTable, rowMatches, scoreAll } from './score/score-lib.mjs';

const args = process.argv.slice(2);
const json = args.includes('--json');
const check = args.includes('--check');
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? args[rootAt + 1] + '/' : CORPUS_ROOT;
const only = args.filter((a, i) => !a.startsWith('--') && !(rootAt >= 0 && i === rootAt + 1));
if (args.includes('--help')) {
  console.log('usage: node scripts/score.mjs [--json] [--check] [--root dir] [corpus...]   (corpora: folders of corpus/, or of --root)');
  process.exit(0);
}

const started = performance.now();
if (discoverAll(root).length === 0) {
  console.error(`no corpus with a truth.json under ${root} yet (see corpus/README.md)`);
  process.exit(json ? 0 : 1);
}
const scored = await scoreAll(root, only.length ? only : null);
const elapsedMs = Math.round(performance.now() - started);

const misses = [];
const known = []; // targets.json _knownGaps: reported, not failed
if (check) {
  const targets = loadTargets();
  for (const c of scored) {
    for (const f of c.rows) {
      for (const [name, target] of Object.entries(targets[c.corpus] ?? {})) {
        if (name.startsWith('_') || !rowMatches(f.name, name)) continue;
        const gap = targets._knownGaps?.[`${c.corpus}/${f.name}`];
        for (const m of checkTarget(f, target)) {
          if (gap?.misses.some((g) => m.startsWith(g))) known.push(`${c.corpus} ${f.name}: ${m} (${gap.why})`);
          else misses.push(`${c.corpus} ${f.name}: ${m}`);
        }
      }
    }
  }
}

if (json) {
  console.log(JSON.stringify({ elapsedMs, corpora: scored, ...(check ? { misses, knownGaps: known } : {}) }, null, 2));
} else {
  for (const c of scored) console.log(renderTable(c) + '\n');
  console.log(`scored in ${(elapsedMs / 1000).toFixed(1)}s. parent = exact parent (nearest shown truth ancestor); warn R = warning recall; within 5% = |duration error| ≤ max(1ms, 5%); false shifts = traces where a service with a right clock was shifted as skewed`);
  if (check && known.length) console.log(`\nknown gaps (targets.json _knownGaps):\n  ${known.join('\n  ')}`);
  if (check) console.log(misses.length ? `\ntargets missed:\n  ${misses.join('\n  ')}` : '\nall other targets met');
}
process.exitCode = check && misses.length ? 1 : 0;
