import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { REPO_ROOT } from './run-cli.js';

/** Whether tmux can be run here; tests that drive a terminal skip with one line when not. */
export const HAVE_TMUX = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

export function noteIfNoTmux(what: string): void {
  if (!HAVE_TMUX) console.log(`skipped: ${what} (tmux is not installed; .ci/run installs it)`);
}

/**
 * A real terminal for the program: a tmux server on a private socket (so tests never meet each
 * other's or a user's sessions), with a plain shell in a pane of a given size. Keys go in with
 * send-keys, the screen comes out with capture-pane.
 */
export class TmuxTerminal {
  private readonly socket: string;

  constructor(name: string, columns: number, rows: number, env: Record<string, string> = {}) {
    this.socket = `mcp-trace-test-${name}-${process.pid}`;
    // -f /dev/null: no user config; a shell with a known prompt, in the repo.
    const vars = Object.entries({ PS1: '$ ', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-x', String(columns), '-y', String(rows), '-c', REPO_ROOT, ...vars, 'sh');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', timeout: 10_000 });
  }

  /** Types a command line into the shell and presses Enter. */
  run(commandLine: string): void {
    this.tmux('send-keys', '-l', commandLine);
    this.tmux('send-keys', 'Enter');
  }

  /** Keys by tmux's names (`j`, `Enter`, `Escape`, `C-c`, `PageDown`). */
  keys(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** The screen as text; with `escapes`, with the attributes and colours tmux shows. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []));
  }

  /** A tmux format of the pane: `#{alternate_on}`, `#{cursor_flag}`, `#{pane_title}`. */
  display(format: string): string {
    return this.tmux('display-message', '-p', format).trim();
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-x', String(columns), '-y', String(rows));
  }

  /** Polls the screen until `test` holds (the program draws asynchronously), or fails naming what was seen. */
  async waitFor(test: (screen: string) => boolean, what: string, timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < until) {
      screen = this.screen();
      if (test(screen)) return screen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
  }

  close(): void {
    try {
      // A killed server leaves its socket file behind: remove it too.
      const socketPath = this.display('#{socket_path}');
      this.tmux('kill-server');
      rmSync(socketPath, { force: true });
    } catch {
      // already gone
    }
  }
}
