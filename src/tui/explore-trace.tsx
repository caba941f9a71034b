import type { CriticalSection } from '../analyse/critical-path.js';
import { makePainter } from '../render/palette.js';
import type { ScanStats, Trace } from '../types.js';
import { copyWithOsc52 } from './clipboard.js';
import { runFullScreen, type Leave } from './full-screen.js';
import { useScreenSize } from './screen-size.js';
import { traceModel, type TraceModel } from './trace-model.js';
import { TraceView } from './TraceView.js';
import type { Painter } from '../render/palette.js';

export interface Colour {
  color: boolean;
  colorLevel: 1 | 2 | 3;
}

/** `show -i`: one analysed trace, full screen, until q, Esc or Ctrl-C. */
export function exploreTrace(trace: Trace, stats: ScanStats, critical: readonly CriticalSection[], colour: Colour): Promise<Leave> {
  const model = traceModel(trace, stats, critical);
  const paint = makePainter(colour.color, colour.colorLevel);
  return runFullScreen((leave) => <OneTrace model={model} paint={paint} leave={leave} />);
}

function OneTrace({ model, paint, leave }: { model: TraceModel; paint: Painter; leave: (how: Leave) => void }) {
  const size = useScreenSize();
  return (
    <TraceView
      model={model}
      size={size}
      paint={paint}
      copy={(text) => copyWithOsc52(text)}
      onCommand={(command) => leave(command.type === 'interrupt' ? 'interrupt' : 'quit')}
    />
  );
}
