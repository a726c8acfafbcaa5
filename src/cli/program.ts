import { Command, CommanderError } from 'commander';
import { ConfigError } from '../app/config.ts';
import { EventStoreUnavailableError } from '../adapters/eventstore/port.ts';
import { commands } from './commands/index.ts';
import type { CliContext } from './context.ts';
import { CliError, EXIT } from './errors.ts';

/** Builds the `calltrail` program around a context; nothing here touches process globals. */
export function buildProgram(context: CliContext, finish: (exitCode: number) => void): Command {
  const program = new Command('calltrail')
    .description('operator tooling for calltrail: first access (init), verify the event log, rebuild read models, audit billing')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => void context.stdout.write(text),
      writeErr: (text) => void context.stderr.write(text),
    })
    .exitOverride()
    .addHelpText(
      'after',
      '\nConfiguration comes from the same environment as the engine: DATABASE_URL, DATA_DIR, EVENTSTORE_URL.\n' +
        'With PGlite (no DATABASE_URL) stop the engine first: PGlite serves one process at a time.',
    );
  for (const command of commands) command.register(program, context, finish);
  // exitOverride and output settings are inherited by subcommands added after them only; apply to all.
  for (const sub of program.commands) {
    sub.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput(program.configureOutput());
  }
  return program;
}

/** Runs the CLI with `argv` (arguments only, no node/script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(context, (code) => (exitCode = code));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here too, with exit code 0; commander already printed the message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    context.stderr.write(`calltrail: ${describe(error)}\n`);
    if (error instanceof CliError) return error.exitCode;
    return EXIT.error;
  }
}

function describe(error: unknown): string {
  if (error instanceof CliError || error instanceof ConfigError || error instanceof EventStoreUnavailableError) return error.message;
  if (error instanceof Error) return `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}`;
  return String(error);
}
