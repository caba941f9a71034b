import { spawn } from 'node:child_process';
import { BIN, REPO_ROOT } from './run-cli.js';

export interface TailResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tail` on files (TZ=UTC, no colour, fast polling) until its stderr matches `until`, lets
 * the lines polled with it arrive, then ends it with Ctrl-C as a user does.
 */
export function tailUntil(args: string[], until: RegExp, cwd = REPO_ROOT): Promise<TailResult> {
  return new Promise((done, fail) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', TZ: 'UTC' };
    for (const k of ['FORCE_COLOR', 'NO_COLOR', 'LOKI_ADDR']) delete env[k];
    const child = spawn(process.execPath, [BIN, 'tail', ...args, '--no-color', '--poll-interval', '20ms'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (until.test(stderr)) setTimeout(() => child.kill('SIGINT'), 300);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(killer);
      done({ code, stdout, stderr });
    });
  });
}
