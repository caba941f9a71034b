import { Command, CommanderError, Help } from 'commander';
import { EXIT, UserError } from '../errors.js';
import { leaveOnInterrupt, writeMessage } from './terminal.js';
import { COMMAND_LIST, type CommandName } from './command-list.js';
import { addExamples } from './help-examples.js';

type Register = (program: Command) => void;

/**
 * Commands load on demand: `show` should not pay for the websocket client that `tail` needs.
 * Start-up time is most of a small `show`, so only the command named is imported. Top-level
 * help, `--version` and mistyped names need only the names and summaries (command-list.ts).
 */
const COMMANDS: Record<CommandName, () => Promise<Register>> = {
  show: async () => (await import('./commands/show.js')).registerShow,
  traces: async () => (await import('./commands/traces.js')).registerTraces,
  tail: async () => (await import('./commands/tail.js')).registerTail,
  check: async () => (await import('./commands/check.js')).registerCheck,
  diff: async () => (await import('./commands/diff.js')).registerDiff,
  ui: async () => (await import('./commands/ui.js')).registerUi,
  map: async () => (await import('./commands/map.js')).registerMap,
  mcp: async () => (await import('./commands/mcp.js')).registerMcp,
  // The script is read off every other command, registered on a scratch program.
  completion: async () => {
    const { registerCompletion } = await import('./commands/completion.js');
    return (program) => registerCompletion(program, registerEveryCommand);
  },
};

/** Every command, for the completion script to describe. */
async function registerEveryCommand(program: Command): Promise<void> {
  for (const load of Object.values(COMMANDS)) (await load())(program);
  for (const c of program.commands) addExamples(c);
}

/**
 * Entry point. Each command lives in its own file under commands/ and only parses flags and
 * composes the pipeline stages; this file wires them up and turns failures into exit codes.
 */
export async function main(argv: string[]): Promise<void> {
  installProcessHandlers();
  const program = new Command('mcp-trace')
    .description('Rebuild a request\'s call path from JSON logs and show it as a tree.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text) => writeMessage(withoutErrorWord(text)) })
    // Defaults and choices written as our own descriptions write them: `(default: 1s)`, no quotes.
    .configureHelp({ optionDescription: (option) => unquotedDefaults(new Help().optionDescription(option)) });

  // `mcp-trace help show` is `mcp-trace show --help`: that command's real definition.
  const word = argv[2] === 'help' ? argv[3] : argv[2];
  if (word !== undefined && Object.hasOwn(COMMANDS, word)) {
    (await COMMANDS[word as CommandName]())(program);
    for (const c of program.commands) addExamples(c);
  } else {
    for (const [name, { usage, summary }] of Object.entries(COMMAND_LIST)) program.command(`${name} ${usage}`).description(summary);
  }

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

const VERSION = '0.1.0';

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof UserError) {
    writeMessage(err.message);
    return err.exitCode;
  }
  if (isEpipe(err)) return EXIT.OK;
  const system = systemErrorLine(err);
  if (system !== null) {
    writeMessage(system);
    return EXIT.SOURCE;
  }
  // A bug: still one line, but with enough to report it.
  const message = err instanceof Error ? err.message : String(err);
  writeMessage(`internal error: ${message} (set MCP_TRACE_DEBUG=1 for details)`);
  if (process.env.MCP_TRACE_DEBUG) console.error(err);
  return 70;
}

/** `(choices: "a", "b", default: "a")` → `(choices: a, b, default: a)`. */
function unquotedDefaults(description: string): string {
  return description.replace(/\((?:choices|default): [^()]*\)$/, (tail) => tail.replaceAll('"', ''));
}

/** Commander starts its messages with `error: `; ours say `mcp-trace: ` instead. */
function withoutErrorWord(text: string): string {
  return text.replace(/^error: /, '');
}

function isEpipe(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as NodeJS.ErrnoException).code === 'EPIPE';
}

// Failures of the system rather than of mcp-trace: a file that cannot be read, output that cannot
// be written. They end with one line and exit 4 like every source failure, never as a bug (70)
// with a stack.
const WRITE_FAILURES = new Set(['ENOSPC', 'EFBIG', 'EDQUOT', 'EROFS']);
const READ_FAILURES = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EISDIR', 'EIO', 'ENXIO', 'ENODEV', 'ELOOP', 'ENAMETOOLONG', 'EMFILE', 'ENFILE', 'ESTALE', 'ETXTBSY', 'ESPIPE']);

// Node's shape for system errors: `EACCES: permission denied, open '/var/log/a.log'`.
const NODE_SYSTEM_MESSAGE = /^(E[A-Z]+): (.*?), \w+(?: '(.*)')?$/s;

function systemErrorLine(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const e = err as NodeJS.ErrnoException;
  // Errors passed on from worker threads keep the message but not the code.
  const parts = NODE_SYSTEM_MESSAGE.exec(e.message);
  const code = e.code ?? parts?.[1];
  if (code === undefined) return null;
  if (e.syscall === 'write' || WRITE_FAILURES.has(code)) return `cannot write the output: ${e.message}`;
  if (!READ_FAILURES.has(code)) return null;
  // Worded as the file sources word it (`cannot read a.log: permission denied`), whichever reader failed.
  const path = e.path ?? parts?.[3];
  const what = parts?.[2] ?? e.message;
  return path !== undefined ? `cannot read ${path}: ${what}` : `cannot read: ${e.message}`;
}

function installProcessHandlers(): void {
  // Memory tests (test/hostile) read the peak of the whole process, worker threads included.
  if (process.env.MCP_TRACE_DEBUG_RSS) {
    process.on('exit', () => process.stderr.write(`mcp-trace: debug: peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`));
  }
  // `mcp-trace show … | head` closes our stdout early: that is a normal end, not an error.
  // Any other failure to write (`> /dev/full`, a full disk, a revoked file) is one line and exit 4.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(EXIT.OK);
    writeMessage(`cannot write the output: ${err.message}`);
    process.exit(EXIT.SOURCE);
  });
  // bin/ catches Ctrl-C during start-up; from here on this handler (or a command's) does.
  process.removeAllListeners('SIGINT');
  process.on('SIGINT', () => leaveOnInterrupt(EXIT.INTERRUPTED));
}
