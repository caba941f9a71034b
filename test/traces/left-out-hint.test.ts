import { expect, it } from 'vitest';
import { leftOutHint } from '../../src/render/traces-table.js';

it('with many traces left out, the hint suggests filters and sorting rather than a huge --limit', () => {
  expect(leftOutHint({ rows: [], matched: 39209, total: 39209 })).toBe(
    '39209 more traces (of 39209); narrow with --errors, --min-duration, --service or --since, or sort with --sort duration|errors',
  );
  expect(leftOutHint({ rows: [], matched: 0, total: 5 })).toBeNull();
});
