// Each command's `--help` ends with a few examples a new user can paste: data, kept apart from
// the commands' flag definitions so every command shows them the same way.
import type { Command } from 'commander';

const EXAMPLES: Record<string, readonly string[]> = {
  show: [
    "mcp-trace show 4bf92f3577b34da6a3ce929d0e0e4736 'examples/*.log*'",
    "mcp-trace show 4bf92f35 'logs/*.log' --logs              # a short id, each span's lines",
    'kubectl logs deploy/api | mcp-trace show 4bf92f35 --json',
    'mcp-trace show 4bf92f35 --loki http://loki:3100 --since 6h',
  ],
  traces: [
    "mcp-trace traces 'logs/*.log' --errors --sort errors",
    "mcp-trace traces 'logs/*.log' --min-duration 500ms --since 1h --format tsv",
    'mcp-trace traces --loki --since 1h --service checkout --sort duration',
  ],
  tail: [
    "mcp-trace tail 'logs/*.log' --errors -n 20",
    "mcp-trace tail 'logs/*.log' --since 10m --grep 'timeout|refused'",
    'kubectl logs -f deploy/api | mcp-trace tail --trace 4bf92f35',
    'mcp-trace tail --loki --service checkout --level warn --trees',
  ],
  ui: [
    "mcp-trace ui 'logs/*.log' --sort errors",
    "mcp-trace ui 'logs/*.log' --follow                        # new traces join the list",
    'mcp-trace ui --loki --since 15m --follow --errors',
  ],
  check: [
    "mcp-trace check \"$TRACE_ID\" 'logs/*.log' --no-errors --max-duration 1s",
    "mcp-trace check \"$TRACE_ID\" --loki --since 15m --wait 30s --junit report.xml",
    "mcp-trace check --all 'logs/*.log' --spec smoke.yaml",
  ],
  diff: [
    "mcp-trace diff 4bf92f35 0af76519 'logs/*.log'",
    "mcp-trace diff 4bf92f35 --baseline 'logs/*.log'",
  ],
  map: [
    "mcp-trace map 'logs/*.log'",
    "mcp-trace map 'logs/*.log' --errors --format mermaid > map.mmd",
    'mcp-trace map --loki --since 1h --json',
  ],
  mcp: [
    "mcp-trace mcp 'logs/*.log*'                               # stdio, for an MCP client's config",
    'npx @modelcontextprotocol/inspector mcp-trace mcp examples/*.log*',
  ],
  completion: [
    'source <(mcp-trace completion bash)                      # bash, e.g. in ~/.bashrc',
    'source <(mcp-trace completion zsh)                       # zsh, after compinit',
    'mcp-trace completion fish > ~/.config/fish/completions/mcp-trace.fish',
  ],
};

/** Appends the command's examples to its help, once. */
export function addExamples(cmd: Command): void {
  const lines = EXAMPLES[cmd.name()];
  if (!lines) return;
  cmd.addHelpText('after', ['', 'Examples:', ...lines.map((l) => `  ${l}`)].join('\n'));
}
