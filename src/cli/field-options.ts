import type { Command } from 'commander';
import type { NormaliseOptions } from '../normalise/normalise.js';

// Apart from source-options.ts, which opens files: `show --loki` defines these flags without
// loading the file reader (start-up is most of a small Loki query).

/** The flags that override field detection for in-house formats. */
export function addFieldOptions(cmd: Command): Command {
  return cmd
    .option('--trace-field <name>', 'field that holds the trace id (dotted paths work)')
    .option('--span-field <name>', 'field that holds the span id')
    .option('--parent-field <name>', 'field that holds the parent span id')
    .option('--service-field <name>', 'field that holds the service name');
}

/**
 * The normaliser's options picked out of a command's flags: only plain fields, since commander's
 * options object cannot be cloned into a worker thread.
 */
export function normaliseOptionsFrom(flags: NormaliseOptions): NormaliseOptions {
  const out: NormaliseOptions = {};
  if (flags.traceField) out.traceField = flags.traceField;
  if (flags.spanField) out.spanField = flags.spanField;
  if (flags.parentField) out.parentField = flags.parentField;
  if (flags.serviceField) out.serviceField = flags.serviceField;
  return out;
}
