// The commands and their one-line summaries, apart from the command modules: top-level help,
// `--version` and "did you mean" need only these, so they load none of the commands.
export const COMMAND_LIST = {
  show: { usage: '<traceId> [sources...]', summary: 'rebuild one trace from logs and print it as a tree' },
  traces: { usage: '[sources...]', summary: 'list the traces in logs, one row each: find the one to look at' },
  tail: { usage: '[sources...]', summary: 'follow new log lines (files, standard input or Loki) and print them compactly, one per line' },
  check: { usage: '[traceId] [sources...]', summary: 'assert things about a trace (or every trace) for CI: exit 0 when all pass, 1 when one fails' },
  diff: { usage: '<traceA> <traceB> [sources...]', summary: 'compare two traces of one operation (or one with its baseline, --baseline): what grew, what is new, what fails' },
  ui: { usage: '[sources...]', summary: 'explore interactively: the traces list, Enter opens a trace as a tree with the details of each span' },
  map: { usage: '[sources...]', summary: 'draw who calls whom across traces: calls, error rate and p50/p95/p99 latency per edge' },
  mcp: { usage: '[sources...]', summary: 'serve the Model Context Protocol over stdio for coding agents (tools: search_traces, get_trace, …)' },
  completion: { usage: '<shell>', summary: 'print a completion script for bash, zsh or fish (generated from the commands, so never stale)' },
} as const;

export type CommandName = keyof typeof COMMAND_LIST;
