// `diff`'s output modes, one registry like show's: each names what it is for and loads only its
// own renderer. The command compares once and hands the report to the chosen mode.
import type { DiffReport } from '../analyse/trace-diff.js';
import { UsageError } from '../errors.js';

export interface DiffFlags {
  color: boolean;
  colorLevel: 1 | 2 | 3;
  width: number;
}

interface DiffOutput {
  description: string;
  /** Drawn for people: --width and colour apply. */
  forPeople: boolean;
  render(report: DiffReport, flags: DiffFlags): Promise<string>;
}

export const DIFF_OUTPUTS = {
  tree: {
    description: 'what changed as a tree, with self time per service and the critical paths (default)',
    forPeople: true,
    render: async (r, f) => (await import('../render/diff-tree.js')).renderDiffTree(r, f),
  },
  markdown: {
    description: 'a heading and tables, for CI job summaries',
    forPeople: false,
    render: async (r) => (await import('../render/diff-markdown.js')).renderDiffMarkdown(r),
  },
  json: {
    description: 'one JSON object with stable names (README: diff --json)',
    forPeople: false,
    render: async (r) => (await import('../render/diff-json.js')).renderDiffJson(r),
  },
} satisfies Record<string, DiffOutput>;

export type DiffFormat = keyof typeof DIFF_OUTPUTS;
export const DIFF_FORMATS = Object.keys(DIFF_OUTPUTS) as DiffFormat[];

/** `--json` is `--format json`; naming two different formats is a usage error. */
export function chooseDiffOutput(format: DiffFormat, json: boolean | undefined, formatGiven: boolean): DiffFormat {
  if (json && formatGiven && format !== 'json') throw new UsageError(`--json is --format json: it cannot be combined with --format ${format}`);
  return json ? 'json' : format;
}
