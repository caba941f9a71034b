import { normaliseLine, type NormaliseOptions } from '../normalise/normalise.js';
import { isContainerLine } from '../normalise/partial-lines.js';
import type { RawLine } from '../types.js';

/**
 * May a reader start at this line, with nothing of the lines before it? Yes when the line is a
 * record of its own that nothing before it can reach into: a JSON object line that parses (so it
 * continues no stack trace, normalise/line-groups.ts) and is no container wrapper (so it is no
 * piece of a cut line, normalise/partial-lines.ts). Such a line ends whatever the lines before it
 * left open, exactly as the end of the input would: readers of neighbouring stretches both move their cut to the first such line, the
 * earlier reading on to it and the later one skipping to it, and together read every line once.
 *
 * Conservative by design: a line it rejects only moves the cut further. Files where no line
 * qualifies (every line a wrapper) end up read by one thread.
 */
export function isCleanStart(raw: RawLine, options: NormaliseOptions): boolean {
  return !isContainerLine(raw.text) && normaliseLine(raw, options) !== null;
}
