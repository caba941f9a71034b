import { TraceSummaries, type SummariesState, type TraceSummary } from '../assemble/trace-summary.js';

/**
 * The result of `traces` read by several threads: each thread merged and summarised its own share
 * of the traces (parallel-summarise.ts), so only the rows are left. Nothing can be added to it.
 */
export class SummarisedRows extends TraceSummaries {
  constructor(private readonly rows: TraceSummary[]) {
    super();
  }

  override get size(): number {
    return this.rows.length;
  }

  override add(): void {
    throw new Error('SummarisedRows holds finished rows: add records to a TraceSummaries instead');
  }

  override merge(): void {
    throw new Error('SummarisedRows holds finished rows: merge into a TraceSummaries instead');
  }

  override state(): SummariesState {
    throw new Error('SummarisedRows holds finished rows: it has no state to hand on');
  }

  override summaries(): TraceSummary[] {
    return this.rows;
  }
}
