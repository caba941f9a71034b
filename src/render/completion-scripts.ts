// Shell completion scripts for bash, zsh and fish, written from a description of the commands
// (cli/completion.ts reads it off the commander program), so they cannot go stale: a flag added
// to a command is completed the next time the script is generated.

export interface CompletionOption {
  /** `--format`; `-n` when the option has only a short form. */
  flag: string;
  short?: string;
  description: string;
  /** The option takes a value. */
  takesValue: boolean;
  /** Its allowed values, when it has a fixed set. */
  choices?: readonly string[];
}

export interface CompletionCommand {
  name: string;
  description: string;
  options: readonly CompletionOption[];
}

export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];

export function completionScript(shell: Shell, program: string, commands: readonly CompletionCommand[]): string {
  switch (shell) {
    case 'bash':
      return bashScript(program, commands);
    case 'zsh':
      return zshScript(program, commands);
    case 'fish':
      return fishScript(program, commands);
  }
}

/** A shell function name from the program's name (`mcp-trace` → `_mcp_trace`). */
function functionName(program: string): string {
  return `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
}

/** Text inside single quotes, for any of the three shells. */
function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function flagsOf(o: CompletionOption): string[] {
  return o.short ? [o.flag, o.short] : [o.flag];
}

function bashScript(program: string, commands: readonly CompletionCommand[]): string {
  const fn = functionName(program);
  const lines = [
    `# bash completion for ${program}: source it, e.g. in ~/.bashrc: source <(${program} completion bash)`,
    `${fn}() {`,
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opts=""',
    '  COMPREPLY=()',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W ${singleQuoted(commands.map((c) => c.name).join(' '))} -- "$cur") )`,
    '    return 0',
    '  fi',
    '  case "${COMP_WORDS[1]}" in',
  ];
  for (const c of commands) {
    lines.push(`    ${c.name})`);
    lines.push(`      opts=${singleQuoted(c.options.flatMap(flagsOf).join(' '))}`);
    const valued = c.options.filter((o) => o.takesValue);
    if (valued.length > 0) {
      lines.push('      case "$prev" in');
      for (const o of valued) {
        // A value with fixed choices completes them; any other value is left to the default (files).
        const words = o.choices ? `COMPREPLY=( $(compgen -W ${singleQuoted(o.choices.join(' '))} -- "$cur") )` : 'COMPREPLY=( $(compgen -f -- "$cur") )';
        lines.push(`        ${flagsOf(o).join('|')}) ${words}; return 0 ;;`);
      }
      lines.push('      esac');
    }
    lines.push('      ;;');
  }
  lines.push(
    '  esac',
    '  if [[ "$cur" == -* ]]; then',
    '    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )',
    '  else',
    '    COMPREPLY=( $(compgen -f -- "$cur") )',
    '  fi',
    '  return 0',
    '}',
    `complete -o default -F ${fn} ${program}`,
  );
  return lines.join('\n') + '\n';
}

/** An _arguments description: brackets, colons and backslashes are its syntax. */
function zshText(text: string): string {
  return text.replace(/[[\]:\\]/g, '\\$&');
}

function zshScript(program: string, commands: readonly CompletionCommand[]): string {
  const fn = functionName(program);
  const lines = [
    `#compdef ${program}`,
    `# zsh completion for ${program}: put it in a folder on $fpath as ${fn}, or: source <(${program} completion zsh)`,
    `${fn}() {`,
    '  local -a commands',
    '  commands=(',
    ...commands.map((c) => `    ${singleQuoted(`${c.name}:${c.description.replaceAll(':', '\\:')}`)}`),
    '  )',
    '  if (( CURRENT == 2 )); then',
    "    _describe 'command' commands",
    '    return',
    '  fi',
    '  case ${words[2]} in',
  ];
  for (const c of commands) {
    lines.push(`    ${c.name})`);
    lines.push('      _arguments -s \\');
    for (const o of c.options) {
      const value = o.takesValue ? (o.choices ? `:value:(${o.choices.join(' ')})` : ':value:_files') : '';
      for (const flag of flagsOf(o)) lines.push(`        ${singleQuoted(`${flag}[${zshText(o.description)}]${value}`)} \\`);
    }
    lines.push("        '*:file:_files'");
    lines.push('      ;;');
  }
  lines.push(
    '  esac',
    '}',
    // Sourced rather than autoloaded, the function still has to be registered.
    `if (( $+functions[compdef] )); then compdef ${fn} ${program}; fi`,
  );
  return lines.join('\n') + '\n';
}

function fishScript(program: string, commands: readonly CompletionCommand[]): string {
  const names = commands.map((c) => c.name).join(' ');
  const lines = [
    `# fish completion for ${program}: ${program} completion fish > ~/.config/fish/completions/${program}.fish`,
    `complete -c ${program} -f`,
  ];
  for (const c of commands) {
    lines.push(`complete -c ${program} -n ${singleQuoted(`not __fish_seen_subcommand_from ${names}`)} -a ${c.name} -d ${singleQuoted(c.description)}`);
  }
  for (const c of commands) {
    const when = `-n ${singleQuoted(`__fish_seen_subcommand_from ${c.name}`)}`;
    // Sources are files or globs.
    lines.push(`complete -c ${program} ${when} -F`);
    for (const o of c.options) {
      const names = [o.flag.startsWith('--') ? `-l ${o.flag.slice(2)}` : `-s ${o.flag.slice(1)}`, ...(o.short ? [`-s ${o.short.slice(1)}`] : [])].join(' ');
      const value = o.takesValue ? (o.choices ? ` -x -a ${singleQuoted(o.choices.join(' '))}` : ' -r -F') : '';
      lines.push(`complete -c ${program} ${when} ${names}${value} -d ${singleQuoted(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}
