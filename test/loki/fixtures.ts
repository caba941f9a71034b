import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root (two levels above this file). */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Responses recorded from a real Loki 2.8.0, copied byte for byte from the team's shared folder
 * (../shared/fixtures/loki) so that `npm test` works in any clone; fixtures-copy.test.ts checks
 * the copy against the originals wherever the shared folder is present.
 */
export const FIXTURES = resolve(repoRoot, 'test/fixtures/loki');
export const SHARED_FIXTURES = resolve(repoRoot, '../shared/fixtures/loki');

/** The exact bytes of a recorded Loki 2.8.0 response. */
export function fixture(name: string): string {
  if (!existsSync(FIXTURES)) {
    throw new Error(`Loki fixtures not found at ${FIXTURES}`);
  }
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

/** Fast retries for tests: same policy shape, milliseconds instead of seconds. */
export const FAST_RETRY = { limit: 3, baseDelayMs: 1, maxDelayMs: 5 };
