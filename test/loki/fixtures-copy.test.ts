import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURES, SHARED_FIXTURES } from './fixtures.js';

it.skipIf(!existsSync(SHARED_FIXTURES))('the committed Loki fixtures are byte-identical to the shared recordings', () => {
  const shared = readdirSync(SHARED_FIXTURES).sort();
  expect(readdirSync(FIXTURES).sort()).toEqual(shared);
  for (const name of shared) {
    expect(readFileSync(resolve(FIXTURES, name)).equals(readFileSync(resolve(SHARED_FIXTURES, name))), name).toBe(true);
  }
});
