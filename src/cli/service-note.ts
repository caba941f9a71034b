// When lines name no service, `show` guesses (a host name) or files spans under 'unknown', and
// nesting across services suffers for it. Said once on stderr, with the flag that fixes it.
import type { LogRecord } from '../types.js';

/** The one-line note for a trace's records, or null when every line named its service. */
export function serviceNote(records: readonly LogRecord[]): string | null {
  const guesses = new Map<string, string>(); // host → service, first seen first
  let unnamed = 0;
  for (const r of records) {
    if (r.service === null) unnamed++;
    else if (r.serviceFromHost && r.host !== null && !guesses.has(r.host)) guesses.set(r.host, r.service);
  }
  const fix = 'name the field that holds it with --service-field <name>';
  if (guesses.size === 0) {
    if (unnamed === 0) return null;
    if (unnamed === records.length) return `no line names its service and the source gives none, so every span is 'unknown'; ${fix}`;
    return `${unnamed} of ${records.length} lines name no service and are filed under 'unknown'; ${fix}`;
  }
  const shown = [...guesses].slice(0, 3).map(([host, service]) => (host === service ? host : `${host} → ${service}`));
  const more = guesses.size > 3 ? `, +${guesses.size - 3} more` : '';
  const rest = unnamed > 0 ? `; ${unnamed} more ${unnamed === 1 ? 'line names' : 'lines name'} none and ${unnamed === 1 ? 'is' : 'are'} 'unknown'` : '';
  return `services guessed from host names where lines name none (${shown.join(', ')}${more})${rest}; ${fix}`;
}
