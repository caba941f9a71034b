import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

// Issue 13 item 11: shell completion for bash, zsh and fish, generated from the commander
// program (so a new flag is completed without anyone editing a script).

function has(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0']).status === 0;
}
const missing = (shell: string): boolean => {
  if (has(shell)) return false;
  console.log(`skipped: ${shell} is not installed, so its completion script is not parsed (apt-get install ${shell})`);
  return true;
};

function saved(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mcp-trace-completion-')), name);
  writeFileSync(file, text);
  return file;
}

async function script(shell: string): Promise<string> {
  const r = await runCli(['completion', shell]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

/** What bash's completion offers for the words typed so far (the last one being completed). */
function bashComplete(file: string, words: string[]): string[] {
  const line = ['mcp-trace', ...words];
  const program = [
    `source ${JSON.stringify(file)}`,
    `COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${line.length - 1}`,
    '_mcp_trace',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  return execFileSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

describe('mcp-trace completion (spawned CLI, real shells)', () => {
  it.skipIf(!has('bash'))('bash: commands, a command\'s flags, and the choices of --format', async () => {
    const file = saved('mcp-trace.bash', await script('bash'));
    expect(bashComplete(file, ['t'])).toEqual(['traces', 'tail']);
    expect(bashComplete(file, ['show', '--cr'])).toEqual(['--critical-path']);
    const formats = bashComplete(file, ['show', '--format', '']);
    expect(formats.slice(0, 3)).toEqual(['tree', 'logs', 'json']);
    expect(formats).toEqual(expect.arrayContaining(['otlp', 'jaeger', 'chrome']));
    expect(bashComplete(file, ['tail', '--si'])).toEqual(['--since']); // added this session: read off the command
    expect(bashComplete(file, ['traces', '--format', 't'])).toEqual(['table', 'tsv']);
  });

  it.skipIf(missing('zsh'))('zsh: the script parses (zsh -n) and describes each command', async () => {
    const text = await script('zsh');
    expect(text.startsWith('#compdef mcp-trace\n')).toBe(true);
    expect(text).toContain("'--logs[print each span");
    expect(spawnSync('zsh', ['-n', saved('mcp-trace.zsh', text)]).status).toBe(0);
  });

  it.skipIf(missing('fish'))('fish: the script parses (fish -n)', async () => {
    const text = await script('fish');
    expect(text).toContain("complete -c mcp-trace -n '__fish_seen_subcommand_from show' -l format -x -a 'tree logs json");
    // fish cannot read a script from a spawned pipe ("Is a directory"): from a file, as users keep it.
    expect(spawnSync('fish', ['-n', saved('mcp-trace.fish', text)], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
  });

  it('an unknown shell is a usage error naming the ones it knows', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("mcp-trace: command-argument value 'tcsh' is invalid for argument 'shell'. Allowed choices are bash, zsh, fish.\n");
  });
});
