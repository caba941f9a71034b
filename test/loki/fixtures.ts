import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root (two levels above this file) and the shared fixtures beside the clone. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = resolve(repoRoot, '../shared/fixtures/loki');

/** The exact bytes of a recorded Loki 2.8.0 response. */
export function fixture(name: string): string {
  if (!existsSync(FIXTURES)) {
    throw new Error(`Loki fixtures not found at ${FIXTURES}: the shared folder must sit beside the repository (../shared/fixtures/loki)`);
  }
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

/** Fast retries for tests: same policy shape, milliseconds instead of seconds. */
export const FAST_RETRY = { limit: 3, baseDelayMs: 1, maxDelayMs: 5 };
