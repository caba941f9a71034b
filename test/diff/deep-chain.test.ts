import { expect, it } from 'vitest';
import { compareTraces } from '../../src/analyse/trace-diff.js';
import { renderDiffJson } from '../../src/render/diff-json.js';
import { renderDiffMarkdown } from '../../src/render/diff-markdown.js';
import { renderDiffTree } from '../../src/render/diff-tree.js';
import { makeTrace, type SpanSpec } from '../support/make-trace.js';

// Matching, sorting and every renderer walk the tree without recursion: a 20 000-deep chain
// (a runaway recursion logged span by span) must neither overflow the stack nor make output
// quadratic in the depth (JSON ids are indexes, markdown indents and gutters are capped).
const DEPTH = 20_000;

function chain(extraMs: number) {
  const spans: SpanSpec[] = [];
  for (let i = 0; i < DEPTH; i++) spans.push({ id: `s${i}`, parent: i === 0 ? null : `s${i - 1}`, service: 'svc', name: 'recurse', start: i * 0.001, duration: DEPTH * 0.002 - i * 0.001 + (i === DEPTH - 1 ? extraMs : 0) });
  return makeTrace({ traceId: 'deep', spans });
}

it('diffs and renders a 20 000-deep chain', () => {
  const report = compareTraces(chain(0), chain(50));
  expect(report.diff.nodes).toHaveLength(DEPTH);
  const tree = renderDiffTree(report, { color: false, width: 100 });
  expect(tree.split('\n').length).toBeGreaterThan(10);
  expect(Math.max(...tree.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  const json = renderDiffJson(report);
  expect(json.length).toBeLessThan(DEPTH * 1000);
  expect(renderDiffMarkdown(report).length).toBeLessThan(DEPTH * 300);
}, 60_000);
