import { Argument, type Command } from 'commander';
import { COMMAND_LIST } from '../command-list.js';
import { writeOut } from '../terminal.js';
import type { CompletionCommand, Shell } from '../../render/completion-scripts.js';

/**
 * `mcp-trace completion bash|zsh|fish`: the script is generated from the commands themselves,
 * each registered on a scratch program and read back (names, flags, choices), so it lists what
 * the commands accept today.
 */
export function registerCompletion(program: Command, registerAll: (program: Command) => Promise<void>): void {
  program
    .command('completion')
    .description(COMMAND_LIST.completion.summary)
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: Shell) => {
      const { Command: Program } = await import('commander');
      const scratch = new Program('mcp-trace');
      await registerAll(scratch);
      const { completionScript } = await import('../../render/completion-scripts.js');
      await writeOut(completionScript(shell, 'mcp-trace', describe(scratch)));
    });
}

/** What completion needs of each command: its name, summary and visible options. */
function describe(program: Command): CompletionCommand[] {
  return program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    options: c.options
      .filter((o) => !o.hidden && (o.long ?? o.short))
      .map((o) => ({
        flag: (o.long ?? o.short)!,
        ...(o.long && o.short ? { short: o.short } : {}),
        description: o.description,
        takesValue: o.required || o.optional,
        ...(o.argChoices ? { choices: o.argChoices } : {}),
      })),
  }));
}
