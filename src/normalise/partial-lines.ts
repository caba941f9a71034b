// Long lines that container runtimes cut into pieces, joined back before parsing:
//   CRI (containerd, CRI-O):  `<RFC3339Nano> <stream> P <piece>` … up to and including the next
//                             `<RFC3339Nano> <stream> F <last piece>` of the same stream
//   docker json-file:         `{"log":"<piece>","stream":…,"time":…}` whose `log` lacks the final
//                             \n (lines over 16 KiB), up to the next piece of the stream that has it
// stdout and stderr are interleaved in one file, so runs are kept per stream (the caller keeps one
// set of runs per origin). The joined line is an ordinary wrapper line with the first piece's time.
// A run that cannot go on (input ends, lines of it went missing, a line that is no wrapper of its
// kind) is handed on as far as it got: parsed if it happens to be whole, malformed otherwise.
import type { RawLine } from '../types.js';
import { parseJson } from './parse-json.js';
import { wrapperKind } from './unwrap.js';

/** One open run of pieces. */
export interface PieceRun {
  kind: 'cri' | 'docker';
  stream: string;
  first: RawLine;
  /** CRI: the first piece's `<time> <stream> `. */
  head: string;
  /** docker: the first piece's wrapper object. */
  wrapper: Record<string, unknown> | null;
  pieces: string[];
}

/** A line to parse and how many raw lines it stands for. */
export interface JoinedLine {
  raw: RawLine;
  lines: number;
}

interface Piece {
  kind: 'cri' | 'docker';
  stream: string;
  text: string;
  final: boolean;
  head: string;
  wrapper: Record<string, unknown> | null;
}

const DOCKER_PREFIX = '{"log":"';
const DOCKER_STREAM_KEY = '","stream":"';

/**
 * Is this a piece that opens a run (CRI `P`, docker `log` without \n)? The check costs a
 * character or two on ordinary JSON lines and allocates nothing.
 */
export function isPartialPiece(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    const s2 = criFlagSpace(text);
    return s2 > 0 && text.charCodeAt(s2 + 1) === 0x50 /* P */;
  }
  if (c !== 0x7b || text.charCodeAt(2) !== 0x6c /* l */ || !text.startsWith(DOCKER_PREFIX)) return false;
  // docker writes `log` then `stream`: the end of the log string is found without parsing.
  const k = text.indexOf(DOCKER_STREAM_KEY, DOCKER_PREFIX.length);
  if (k >= 0) return !endsWithEscapedNewline(text, k);
  const piece = readPiece(text);
  return piece !== null && !piece.final;
}

/**
 * Is this a container wrapper line (CRI, or docker's `{"log":…`), so possibly a piece of a longer
 * line, whether or not it opens a run? A reader that must start mid-file cannot start at one.
 */
export function isContainerLine(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 ? criFlagSpace(text) > 0 : text.startsWith(DOCKER_PREFIX);
}

/** Opens a run with a partial piece (isPartialPiece was true); null if it is not one after all. */
export function startRun(raw: RawLine): PieceRun | null {
  const piece = readPiece(raw.text);
  if (piece === null || piece.final) return null;
  return { kind: piece.kind, stream: piece.stream, first: raw, head: piece.head, wrapper: piece.wrapper, pieces: [piece.text] };
}

/**
 * A line from an origin that has open runs. Returns what to parse, in order: runs this line
 * completes or cuts short, then the line itself unless it was a piece. `runs` is updated.
 */
export function feedRuns(runs: PieceRun[], raw: RawLine): JoinedLine[] {
  const out: JoinedLine[] = [];
  const piece = readPiece(raw.text);
  // One file holds one wrapper kind: a line of another shape means the open runs cannot go on.
  for (let i = 0; i < runs.length; ) {
    if (piece === null || runs[i]!.kind !== piece.kind) out.push(joinRun(runs.splice(i, 1)[0]!, false));
    else i++;
  }
  if (piece === null) {
    out.push({ raw, lines: 1 });
    return out;
  }
  const i = runs.findIndex((r) => r.stream === piece.stream);
  if (i >= 0) {
    const run = runs[i]!;
    run.pieces.push(piece.text);
    if (piece.final) out.push(joinRun(runs.splice(i, 1)[0]!, true));
  } else if (piece.final) {
    out.push({ raw, lines: 1 });
  } else {
    runs.push({ kind: piece.kind, stream: piece.stream, first: raw, head: piece.head, wrapper: piece.wrapper, pieces: [piece.text] });
  }
  return out;
}

/** Every open run, as far as it got (input ended, or lines of the origin went missing). */
export function endRuns(runs: PieceRun[]): JoinedLine[] {
  return runs.splice(0).map((run) => joinRun(run, false));
}

function joinRun(run: PieceRun, complete: boolean): JoinedLine {
  const joined = run.pieces.join('');
  const text =
    run.kind === 'cri'
      ? `${run.head}${complete ? 'F' : 'P'} ${joined}`
      : JSON.stringify({ ...run.wrapper, log: joined });
  return { raw: { ...run.first, text }, lines: run.pieces.length };
}

/** A CRI or docker wrapper line as a piece (whole lines are final pieces); null for other lines. */
function readPiece(text: string): Piece | null {
  const c = text.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    const s2 = criFlagSpace(text);
    if (s2 < 0) return null;
    const stream = text.slice(text.indexOf(' ') + 1, s2);
    return { kind: 'cri', stream, text: text.slice(s2 + 3), final: text.charCodeAt(s2 + 1) === 0x46 /* F */, head: text.slice(0, s2 + 1), wrapper: null };
  }
  if (!text.startsWith(DOCKER_PREFIX)) return null;
  let obj: unknown;
  try {
    obj = parseJson(text, false).value;
  } catch {
    return null;
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const o = obj as Record<string, unknown>;
  // Pieces are joined per stream, so a docker line without one is not taken as a piece.
  if (wrapperKind(o) !== 'docker' || typeof o.stream !== 'string') return null;
  const log = o.log as string;
  return { kind: 'docker', stream: o.stream, text: log, final: log.endsWith('\n'), head: '', wrapper: o };
}

/** Index of the space before a CRI line's P/F flag, or -1 when the line is not CRI-shaped. */
function criFlagSpace(text: string): number {
  const s1 = text.indexOf(' ');
  if (s1 < 19) return -1;
  const s2 = text.indexOf(' ', s1 + 1);
  // `stdout` or `stderr`
  if (s2 !== s1 + 7 || !text.startsWith('std', s1 + 1)) return -1;
  const flag = text.charCodeAt(s2 + 1);
  if ((flag !== 0x46 && flag !== 0x50) || text.charCodeAt(s2 + 2) !== 0x20) return -1;
  return s2;
}

/** Does the JSON string that closes at `quote` end in an escaped \n (`\n`, not `\\n`)? */
function endsWithEscapedNewline(text: string, quote: number): boolean {
  if (text.charCodeAt(quote - 1) !== 0x6e /* n */) return false;
  let slashes = 0;
  for (let i = quote - 2; i >= 0 && text.charCodeAt(i) === 0x5c; i--) slashes++;
  return slashes % 2 === 1;
}
