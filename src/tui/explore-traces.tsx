import type { CriticalSection } from '../analyse/critical-path.js';
import { makePainter } from '../render/palette.js';
import type { ScanStats, Trace } from '../types.js';
import { copyWithOsc52 } from './clipboard.js';
import type { Colour } from './explore-trace.js';
import { Explorer, type ListFeed } from './Explorer.js';
import { runFullScreen, type Leave } from './full-screen.js';
import { traceModel } from './trace-model.js';

export type { ListFeed } from './Explorer.js';

/** One trace read and analysed for the view, as `show` reads it. */
export interface OpenedTrace {
  trace: Trace;
  stats: ScanStats;
  critical: readonly CriticalSection[];
  /** Said in the status bar as the trace opens (how it was read, when that is worth knowing). */
  note?: string;
}

/** `ui`: the traces list, full screen; Enter opens a trace, Esc goes back, q quits. */
export function exploreTraces(feed: ListFeed, open: (traceId: string) => Promise<OpenedTrace>, colour: Colour): Promise<Leave> {
  const paint = makePainter(colour.color, colour.colorLevel);
  const openModel = async (traceId: string) => {
    const { trace, stats, critical, note } = await open(traceId);
    const model = traceModel(trace, stats, critical);
    return note === undefined ? model : { ...model, note };
  };
  return runFullScreen((leave) => <Explorer feed={feed} open={openModel} paint={paint} copy={(text) => copyWithOsc52(text)} leave={leave} />);
}
