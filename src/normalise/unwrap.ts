// Container and export wrappers around the application's JSON line:
//   CRI (containerd/CRI-O):  `2024-06-01T12:00:00.123456789Z stdout F {"level":"info",…}`
//   docker json-file:        `{"log":"{…}\n","stream":"stdout","time":"…"}`
//   logcli --output=jsonl:   `{"labels":{…},"line":"{…}","timestamp":"…"}`
// The wrapper's time is kept as a fallback and logcli's labels join the source labels.
// Partial pieces (CRI `P`, docker lines without a trailing \n) reach this file already joined
// (partial-lines.ts); a piece that could not be joined is parsed as it is when it happens to be
// whole JSON, and is malformed otherwise.
import { parseJson, type Parsed } from './parse-json.js';
import { parseIsoTime, parseTime } from './time.js';

export interface Unwrapped {
  obj: Record<string, unknown>;
  big: boolean;
  wrapperTimeNs?: bigint;
  wrapperLabels?: Record<string, string>;
}

/** Parses a line and peels wrappers; null when no JSON object is left. */
export function parseAndUnwrap(text: string, lossless = false): Unwrapped | null {
  const c = text.charCodeAt(0);
  let wrapperTimeNs: bigint | undefined;
  if (c >= 0x30 && c <= 0x39) {
    const cri = splitCri(text);
    if (!cri) return null;
    text = cri.line;
    wrapperTimeNs = cri.timeNs ?? undefined;
  }
  const parsed = tryParse(text, lossless);
  if (!parsed) return null;
  const obj = parsed.value as Record<string, unknown>;

  const kind = wrapperKind(obj);
  if (kind === 'docker') {
    const inner = tryParse(stripNewline(obj.log as string), lossless);
    if (!inner) return null;
    const time = typeof obj.time === 'string' ? parseIsoTime(obj.time) : null;
    return { obj: inner.value as Record<string, unknown>, big: inner.big, wrapperTimeNs: time ?? wrapperTimeNs };
  }

  if (kind === 'logcli') {
    const inner = tryParse(stripNewline(obj.line as string), lossless);
    if (!inner) return null;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj.labels as Record<string, unknown>)) if (typeof v === 'string') labels[k] = v;
    return { obj: inner.value as Record<string, unknown>, big: inner.big, wrapperTimeNs: parseTime(obj.timestamp) ?? wrapperTimeNs, wrapperLabels: labels };
  }
  return { obj, big: parsed.big, wrapperTimeNs };
}

/**
 * The application's text inside a wrapper, or the line itself when it has none: for judging a
 * line that is not JSON (is it a stack-trace line?). Not on the path of JSON lines.
 */
export function wrappedText(text: string): string {
  const c = text.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return splitCri(text)?.line ?? text;
  if (c !== 0x7b /* { */) return text;
  let obj: unknown;
  try {
    obj = parseJson(text, false).value;
  } catch {
    return text;
  }
  if (!isObject(obj)) return text;
  const o = obj as Record<string, unknown>;
  const kind = wrapperKind(o);
  return kind === null ? text : stripNewline((kind === 'docker' ? o.log : o.line) as string);
}

/**
 * Which wrapper a parsed line is: docker json-file (`log` text beside `stream`/`time`; an app's
 * own `log` field next to its `msg` is not one) or logcli jsonl (`line` with `labels` and a
 * `timestamp`). Null for the application's own lines.
 */
export function wrapperKind(obj: Record<string, unknown>): 'docker' | 'logcli' | null {
  if (typeof obj.log === 'string' && (obj.stream !== undefined || obj.time !== undefined) && !('msg' in obj) && !('message' in obj)) return 'docker';
  if (typeof obj.line === 'string' && isObject(obj.labels) && obj.timestamp !== undefined) return 'logcli';
  return null;
}

/** A JSON object, or null (invalid JSON, arrays, strings, numbers). */
function tryParse(text: string, lossless: boolean): Parsed | null {
  // A byte order mark starts the first line of files written by some Windows tools (and lines
  // after it when such files are concatenated): it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Cheap rejection of plain text before paying for an exception.
  let i = 0;
  while (i < text.length && text.charCodeAt(i) <= 0x20) i++;
  if (text.charCodeAt(i) !== 0x7b /* { */) return null;
  let parsed: Parsed;
  try {
    parsed = parseJson(text, lossless);
  } catch {
    return null;
  }
  return isObject(parsed.value) ? parsed : null;
}

function splitCri(text: string): { line: string; timeNs: bigint | null } | null {
  const s1 = text.indexOf(' ');
  if (s1 < 19) return null;
  const s2 = text.indexOf(' ', s1 + 1);
  if (s2 < 0) return null;
  const stream = text.slice(s1 + 1, s2);
  if (stream !== 'stdout' && stream !== 'stderr') return null;
  const flag = text.charCodeAt(s2 + 1);
  if ((flag !== 0x46 /* F */ && flag !== 0x50 /* P */) || text.charCodeAt(s2 + 2) !== 0x20) return null;
  return { line: text.slice(s2 + 3), timeNs: parseIsoTime(text.slice(0, s1)) };
}

function stripNewline(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x0a || s.charCodeAt(end - 1) === 0x0d)) end--;
  return end === s.length ? s : s.slice(0, end);
}

function isObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
