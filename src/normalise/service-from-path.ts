// Users keep one file per service; the file name is the service when the line names none.
import { FILE_SERVICE_LABEL } from './fields.js';

/** Strips directories, compression/log/json extensions, rotation dates and counters. */
const EXTENSIONS = /(\.(gz|log|json|jsonl|ndjson|txt|out|\d+))+$/i;
/** A rotation date `-2024-11-01`, `.2024-11-01`, `_20241101`, optionally with a time or counter. */
const ROTATION = /[-._]\d{4}-?\d{2}-?\d{2}([-_T.]?\d{2}(-?\d{2}){0,2})?([-._]\d+)?$/;

/** `payment-service-2024-11-01.log.gz` → `payment-service`; null for stdin (`-`) or nothing left. */
export function serviceFromPath(path: string): string | null {
  if (path === '-' || path === '') return null;
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  let name = base.replace(EXTENSIONS, '');
  name = name.replace(ROTATION, '');
  name = name.replace(EXTENSIONS, '');
  return name === '' ? null : name;
}

/** The labels every line of a file gets: its service as the file name says it, when the line names none. */
export function fileNameLabels(path: string): Record<string, string> | undefined {
  const service = serviceFromPath(path);
  return service ? { [FILE_SERVICE_LABEL]: service } : undefined;
}
