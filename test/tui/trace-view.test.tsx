import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { criticalPath } from '../../src/analyse/critical-path.js';
import { makePainter } from '../../src/render/palette.js';
import { displayWidth } from '../../src/render/text-width.js';
import { traceModel, type TraceModel } from '../../src/tui/trace-model.js';
import { TraceView } from '../../src/tui/TraceView.js';
import { gutterOf, treeLayout } from '../../src/tui/tree-rows.js';
import { computeGutters } from '../../src/render/tree-gutter.js';
import { makeStats, makeTrace, type SpanSpec } from '../support/make-trace.js';
import { exampleModel } from './example-trace.js';

// The view component under Ink's own test renderer: what a frame holds, at 80×24 and without
// colour, for the example checkout and for a trace far larger than the screen.
const plain = makePainter(false);
let checkout: TraceModel;
beforeAll(async () => {
  checkout = await exampleModel();
});

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function frameOf(model: TraceModel, columns: number, rows: number): string[] {
  const app = render(<TraceView model={model} size={{ columns, rows }} paint={plain} onCommand={() => undefined} copy={(t) => t} />);
  unmount = app.unmount;
  return app.lastFrame()!.split('\n');
}

/** 20 000 spans: a root with 200 children of 99 children each. */
function bigTrace(): TraceModel {
  const spans: SpanSpec[] = [{ id: 'r', service: 'gateway', name: 'GET /', start: 0, duration: 10_000 }];
  for (let a = 0; a < 200; a++) {
    spans.push({ id: `a${a}`, parent: 'r', service: `svc-${a % 7}`, name: `op ${a}`, start: a * 40, duration: 39 });
    for (let b = 0; b < 99; b++) spans.push({ id: `a${a}b${b}`, parent: `a${a}`, service: 'db', name: `query ${a}.${b}`, start: a * 40 + b * 0.3, duration: 0.2 });
  }
  const trace = makeTrace({ spans });
  return traceModel(trace, makeStats(), criticalPath(trace));
}

describe('TraceView (ink-testing-library)', () => {
  it('at 80×24 without colour: the header, every span, the details of the error origin, the keys line', () => {
    const lines = frameOf(checkout, 80, 24);
    expect(lines).toHaveLength(24);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
    expect(lines.join('\n')).not.toMatch(/\u001b/); // no colour, no escape of ours in the text
    expect(lines[0]).toContain('trace 4bf92f3577b34da6a3ce929d0e0e4736');
    expect(lines.find((l) => l.startsWith('›'))).toMatch(/└─ fraud-check POST \/v1\/sc.*4\.6ms/);
    const details = lines.slice(lines.findIndex((l) => l.startsWith('─ details')) + 1);
    expect(details.join('\n')).toContain('parent cc5e08f47e2f3b16 (payment-service POST /v1/charges) · logged');
    expect(details.join('\n')).toMatch(/start \+\S+ · duration 4\.6ms · self 4\.6ms · critical path 4\.6ms/);
    expect(details.join('\n')).toContain('error: fraud.features.FeatureStoreUnavailable');
    expect(lines[23]).toMatch(/\? keys .* 5\/5$/);
  });

  it('draws only the rows that fit: a 20 000-span trace gives a frame as tall as the screen', () => {
    const model = bigTrace();
    const lines = frameOf(model, 100, 30);
    expect(lines).toHaveLength(30);
    const rows = lines.filter((l) => /query|op \d|GET \//.test(l) && !l.startsWith('svc') && !l.includes(' · '));
    expect(rows.length).toBeLessThan(30);
    expect(rows[0]).toContain('gateway GET /');
    expect(lines[29]).toMatch(/1\/20001$/);
  });

  it("draws each row's gutter as show's whole-tree gutters do, for one row at a time", () => {
    // Deep enough that narrow widths elide ancestry (⋯): a chain of 40 under the root, plus siblings.
    const spans: SpanSpec[] = [{ id: 's0', service: 'a', start: 0, duration: 1000 }];
    for (let d = 1; d <= 40; d++) {
      spans.push({ id: `s${d}`, parent: `s${d - 1}`, service: 'b', start: d, duration: 900 - d, inferred: d % 3 === 0 });
      if (d % 4 === 0) spans.push({ id: `t${d}`, parent: `s${d - 1}`, service: 'c', start: d + 500, duration: 1 });
    }
    const trace = makeTrace({ spans });
    for (const model of [checkout, traceModel(trace, makeStats(), criticalPath(trace))]) {
      for (const width of [60, 120, 300]) {
        const layout = treeLayout(model, width);
        const whole = computeGutters(model.spans, layout.maxGutterLevels);
        model.spans.forEach((_, i) => expect(gutterOf(model, layout, i), `row ${i} at ${width}`).toBe(whole[i]!.row));
      }
    }
  });
});
