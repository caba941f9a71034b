// Runs the built CLI with standard input fed from this process, as fast as the pipe takes it:
// gigabytes of hostile input are generated here, never written to disk.
import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { BIN, REPO_ROOT, type CliResult } from '../../support/run-cli.js';

export interface FedOptions {
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Writes the input; the pipe is closed when it resolves. Write errors (the CLI stopped reading) end it quietly. */
  feed?: (stdin: Writable) => Promise<void>;
  /** Called with the child's pid once it is started. */
  onSpawn?: (pid: number) => void | Promise<void>;
}

export function runFed(args: readonly string[], options: FedOptions = {}): Promise<CliResult & { peakRssMiB: number | null }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', MCP_TRACE_DEBUG_RSS: '1', ...options.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdin.on('error', () => undefined);
    if (child.pid !== undefined) void options.onSpawn?.(child.pid);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const rss = /peak RSS (\d+) MiB/.exec(stderr);
      resolve({ code, signal, stdout, stderr: stderr.replace(/^mcp-trace: debug: .*\n/m, ''), peakRssMiB: rss ? Number(rss[1]) : null });
    });
    const feed = options.feed ?? (async () => undefined);
    feed(child.stdin).then(
      () => child.stdin.end(),
      () => child.stdin.destroy(),
    );
  });
}

/** Writes `chunk` `times` times, waiting for the pipe to drain; stops when the reader has gone. */
export async function writeRepeated(out: Writable, chunk: Buffer, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    if (out.destroyed || out.writableEnded) return;
    if (!out.write(chunk)) {
      const ok = await new Promise<boolean>((done) => {
        const finish = (value: boolean): void => {
          out.off('drain', drained);
          out.off('error', gone);
          out.off('close', gone);
          done(value);
        };
        const drained = (): void => finish(true);
        const gone = (): void => finish(false);
        out.on('drain', drained).on('error', gone).on('close', gone);
      });
      if (!ok) return;
    }
  }
}
