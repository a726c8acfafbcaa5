import { EXIT } from '../errors.ts';
import { INIT_EXIT_CODES, runInit } from './init.ts';
import type { CliCommand } from './types.ts';

/** `operator create-key`: init without a tenant, under the name an operator looks for. */
export const operatorCommand: CliCommand = {
  name: 'operator',
  register(program, context, finish) {
    const operator = program.command('operator').description("the operator's own credentials");
    operator
      .command('create-key')
      .description('make the operator key (ct_op_…) and print it once; the same as `calltrail init` without a tenant')
      .option('--rotate', 'replace the key in force (the old one stops working at once)')
      .option('--json', 'print the result as JSON')
      .addHelpText('after', `\n${INIT_EXIT_CODES}`)
      .action(async (options: { rotate?: boolean; json?: boolean }) => {
        await runInit(context, { rotate: options.rotate === true, tenant: null }, options.json === true);
        finish(EXIT.ok);
      });
    // The program applies its error handling to top-level commands only; this one is a level down.
    for (const sub of operator.commands) sub.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput(program.configureOutput());
  },
};
