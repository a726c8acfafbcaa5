/** Exit codes every subcommand shares. */
export const EXIT = {
  ok: 0,
  /** The check ran and found a problem (a broken hash chain, an audit mismatch). */
  failedCheck: 1,
  /** Bad arguments or options. */
  usage: 2,
  /** The command could not run: configuration, an unreachable store, a database error. */
  error: 3,
} as const;

/** An error whose message is meant for the operator as is, with the exit code it implies. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
