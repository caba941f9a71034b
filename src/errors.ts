// Exit codes are a public contract: CI scripts branch on them. Documented in README.md.
export const EXIT = {
  OK: 0,
  /** check: an assertion failed. */
  ASSERTION_FAILED: 1,
  /** Bad flag, missing argument, bad spec file. */
  USAGE: 2,
  /** No line of the trace was found. */
  NOT_FOUND: 3,
  /** A source could not be read (missing file, permission, Loki refused or unreachable), or the output could not be written. */
  SOURCE: 4,
  /** Ctrl-C. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * An error meant for the user: its message is printed as one line on stderr, without a stack
 * trace, and the process exits with `exitCode`. Anything else that escapes is a bug.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class UsageError extends UserError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

export class SourceError extends UserError {
  constructor(message: string) {
    super(message, EXIT.SOURCE);
  }
}

export class NotFoundError extends UserError {
  constructor(message: string) {
    super(message, EXIT.NOT_FOUND);
  }
}
