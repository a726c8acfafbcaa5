import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

/**
 * One subcommand per file under src/cli/commands/. `register` adds it to the program; its action
 * returns the exit code. The audit/balance/export subcommands of the billing follow-up plug in the
 * same way (add the file, list it in commands/index.ts).
 */
export type CliCommand = {
  readonly name: string;
  register(program: Command, context: CliContext, finish: (exitCode: number) => void): void;
};
