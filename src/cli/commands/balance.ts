import { AuditService } from '../../commands/audit/audit-service.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { CliError } from '../errors.ts';
import { balanceText } from '../reports/audit-text.ts';
import { json, parseInstant } from '../reports/format.ts';
import type { CliCommand } from './types.ts';

/** `balance <accountId> --at <time>`: the wallet replayed from the log up to that instant. */
export const balanceCommand: CliCommand = {
  name: 'balance',
  register(program, context, finish) {
    program
      .command('balance')
      .description('the balance, open holds and available funds of an account as they were at an instant, replayed from the wallet')
      .argument('<accountId>', 'the account (tenant) id')
      .option('--at <time>', 'the instant, ISO date or date-time (default: now)')
      .option('--json', 'print the result as JSON')
      .addHelpText('after', '\nAnswers "what was my balance when this call was refused?". Exit codes: 0 done, 2 bad usage, 3 could not run.')
      .action(async (accountId: string, options: { at?: string; json?: boolean }) => {
        const at = options.at === undefined ? context.now().toISOString() : parseInstant(options.at, '--at');
        const stores = await context.openStores();
        try {
          const result = await new AuditService(stores.store).balance(accountId.trim(), at).catch((error: unknown) => {
            if (error instanceof NotFoundError) throw new CliError(`account ${accountId} has no wallet in the event log (${stores.description})`);
            throw error;
          });
          context.stdout.write(options.json ? json(result) : balanceText(result));
          finish(0);
        } finally {
          await stores.close();
        }
      });
  },
};
