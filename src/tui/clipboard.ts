import { execFileSync } from 'node:child_process';

/**
 * `y` copies with OSC 52 (the terminal sets its clipboard from an escape sequence), but only
 * where that is known to be taken: many terminals ignore it, and some print it. So it is written
 * when MCP_TRACE_OSC52=1 says the terminal accepts it, or inside tmux when tmux's
 * `set-clipboard` option is `on` (tmux then sets its buffer and passes it on). Otherwise the
 * status bar shows the id, to select by hand, and says how to turn copying on.
 */
export function copyWithOsc52(text: string, env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): string {
  const allowed = env.MCP_TRACE_OSC52 === '1' || (env.TMUX !== undefined && tmuxSetClipboard() === 'on');
  if (!allowed) return `span ${text} (copy needs MCP_TRACE_OSC52=1, or tmux with set-clipboard on)`;
  // Base64 carries any bytes of the id without an escape sequence of its own.
  out.write(`\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`);
  return `copied span id ${text}`;
}

function tmuxSetClipboard(): string {
  try {
    return execFileSync('tmux', ['show-options', '-gv', 'set-clipboard'], { encoding: 'utf8', timeout: 1000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}
