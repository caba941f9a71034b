/**
 * What a websocket close from Loki's tail endpoint means for us. Loki ends a tail with close code
 * 1011 (internal error) for everything: its own time limit, a bad query, a tenant limit. Only the
 * reason text tells them apart, so the known texts live in this table.
 */
export type TailCloseAction =
  /** serverState: the server is starting, stopping or failing over, so the attempt does not count as a failed reconnect. */
  | { action: 'reconnect'; why: string; serverState?: boolean }
  | { action: 'fail'; message: string };

/**
 * What a starting or stopping Loki says (in a 1011 reason, a 5xx body, or a 4xx body from a
 * querier that lost its ring): `empty ring`, `too many unhealthy instances in the ring`, `at least
 * 1 live replicas required`, `Ingester is shutting down`, `context canceled`, `not ready`. None
 * of them is about the query.
 */
export const SERVER_STATE =
  /empty ring|unhealthy instances|live replicas required|shutting down|not ready|context canceled|no such host|connection (refused|reset)|transport is closing|unavailable|ingester|\bEOF\b|broken pipe|i\/o timeout|too many outstanding requests/i;

/** True when an error text from Loki describes the server's state rather than the query. */
export function isServerStateText(text: string): boolean {
  return SERVER_STATE.test(text);
}

interface ReasonRule {
  pattern: RegExp;
  decide: (reason: string) => TailCloseAction;
}

const RULES_1011: readonly ReasonRule[] = [
  {
    // Loki's tail_max_duration (1h by default): a routine end, resume at once.
    pattern: /reached tail max duration limit/i,
    decide: () => ({ action: 'reconnect', why: 'Loki ended the tail at its maximum duration' }),
  },
  {
    pattern: /max concurrent tail requests/i,
    decide: (reason) => ({
      action: 'fail',
      message: `Loki refused the tail: too many tails are open for this tenant (${cleanReason(reason)}); close other tails or raise max_concurrent_tail_requests`,
    }),
  },
  {
    // The querier lost its ingesters (rollout, restart): transient.
    pattern: /ingester|connection (refused|reset)|transport is closing|unavailable/i,
    decide: (reason) => ({ action: 'reconnect', why: `Loki lost its connection to the ingesters (${cleanReason(reason)})`, serverState: true }),
  },
  {
    // A Loki that is starting or stopping: its ring has no healthy members yet (or any more).
    pattern: SERVER_STATE,
    decide: (reason) => ({ action: 'reconnect', why: `Loki is not ready (${cleanReason(reason)})`, serverState: true }),
  },
];

export function classifyTailClose(code: number, reason: string): TailCloseAction {
  if (code === 1011) {
    for (const rule of RULES_1011) if (rule.pattern.test(reason)) return rule.decide(reason);
    // Anything else is about the query itself (parse errors and the like): retrying cannot help.
    return { action: 'fail', message: `Loki rejected the tail query: ${cleanReason(reason) || 'no reason given (close 1011)'}` };
  }
  // We only ever close normally ourselves; a normal close from the other side (a proxy's idle
  // timeout, say) is no reason to stop following.
  if (code === 1000) return { action: 'reconnect', why: 'the connection to Loki was closed' };
  if (code === 1006) return { action: 'reconnect', why: 'the connection to Loki dropped' };
  if (code === 1001 || code === 1012 || code === 1013 || code === 1014) {
    return { action: 'reconnect', why: `Loki is going away or restarting (close ${code})`, serverState: true };
  }
  if (code === 1009) return { action: 'fail', message: 'Loki sent a tail message larger than 64 MiB (the limit for one response); narrow the query (--service, --grep)' };
  if (code === 1008) return { action: 'fail', message: `Loki refused the tail (policy, close 1008): ${cleanReason(reason) || 'no reason given'}` };
  return { action: 'reconnect', why: `the connection to Loki closed (${code}${reason ? `: ${cleanReason(reason)}` : ''})` };
}

/** Loki wraps some errors as `rpc error: code = Code(400) desc = …`; keep the readable part. */
function cleanReason(reason: string): string {
  return reason.replace(/^rpc error: code = [^ ]+ desc = /, '').replace(/\s+/g, ' ').trim();
}
