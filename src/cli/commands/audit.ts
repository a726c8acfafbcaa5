import type { Command } from 'commander';
import type { EventStore } from '../../adapters/eventstore/port.ts';
import type { Output } from '../context.ts';
import { AuditService } from '../../commands/audit/audit-service.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { CliError, EXIT } from '../errors.ts';
import { progressBar } from '../progress.ts';
import { ComplianceService } from '../../commands/audit/compliance-service.ts';
import { accountAuditText, callAuditText } from '../reports/audit-text.ts';
import { complianceText } from '../reports/compliance-text.ts';
import { json, parseInstant } from '../reports/format.ts';
import type { CliCommand } from './types.ts';

/** Nested subcommands inherit nothing from the program: give them its output and exit handling. */
export function likeParent(parent: Command, child: Command): Command {
  return child.exitOverride().showHelpAfterError('(run with --help for usage)').configureOutput(parent.configureOutput());
}

/** `--from` and `--to` as instants, the first before the second. */
function periodOf(options: { from: string; to: string }): { from: string; to: string } {
  const from = parseInstant(options.from, '--from');
  const to = parseInstant(options.to, '--to');
  if (Date.parse(from) >= Date.parse(to)) throw new CliError('--from must be before --to', EXIT.usage);
  return { from, to };
}

/** A progress bar over the whole log (its length when the store can count it), or none. */
async function scanProgress(store: EventStore, wanted: boolean, out: Output, label: string) {
  if (!wanted) return undefined;
  const total = 'countEvents' in store && typeof store.countEvents === 'function' ? await (store.countEvents as () => Promise<number>)() : undefined;
  return progressBar({ out, label, fractionDone: (done) => (total ? done / total : undefined) });
}

/**
 * `audit call <callId>` and `audit account <accountId> --from --to`: every charge recomputed from
 * the call's events with the rate in force at the time, compared with the ledger.
 * `audit compliance --from --to`: every call dialled in the period, with proof from the log that its
 * number was on no do-not-call list at its CallDialing's position and that it was inside its calling window.
 */
export const auditCommand: CliCommand = {
  name: 'audit',
  register(program, context, finish) {
    const audit = program.command('audit').description('recompute charges from the event log and compare them with the ledger (exit 1 on a mismatch)');

    likeParent(program, audit.command('call'))
      .description('the full story of one call: events, PBX evidence, the rate then, and the charge recomputed beside the ledger')
      .argument('<callId>', 'the call id')
      .option('--json', 'print the report as JSON')
      .addHelpText('after', '\nExit codes: 0 MATCH (or nothing to charge yet), 1 MISMATCH, 2 bad usage, 3 could not run (e.g. unknown call).')
      .action(async (callId: string, options: { json?: boolean }) => {
        const stores = await context.openStores();
        try {
          const report = await new AuditService(stores.store).call(callId.trim()).catch((error: unknown) => {
            if (error instanceof NotFoundError) throw new CliError(`no call ${callId} in the event log (${stores.description})`);
            throw error;
          });
          context.stdout.write(options.json ? json(report) : callAuditText(report));
          finish(report.verdict === 'MISMATCH' ? EXIT.failedCheck : EXIT.ok);
        } finally {
          await stores.close();
        }
      });

    likeParent(program, audit.command('account'))
      .description("recompute every charge of an account's calls placed in [--from, --to) and list every mismatch")
      .argument('<accountId>', 'the account (tenant) id')
      .requiredOption('--from <time>', 'first instant, ISO date or date-time (inclusive)')
      .requiredOption('--to <time>', 'last instant, ISO date or date-time (exclusive)')
      .option('--json', 'print the summary and every mismatch as JSON')
      .option('--no-progress', 'no progress bar on stderr')
      .addHelpText('after', '\nExit codes: 0 no mismatch, 1 at least one MISMATCH, 2 bad usage, 3 could not run.')
      .action(async (accountId: string, options: { from: string; to: string; json?: boolean; progress: boolean }) => {
        const { from, to } = periodOf(options);
        const stores = await context.openStores();
        try {
          const bar = await scanProgress(stores.store, options.progress && !options.json, context.stderr, 'audit');
          const report = await new AuditService(stores.store).account(accountId.trim(), from, to, (scanned) => bar?.update(scanned));
          bar?.stop();
          if (options.json) {
            const { audits: _all, ...summary } = report;
            context.stdout.write(json(summary));
          } else context.stdout.write(accountAuditText(report));
          finish(report.mismatches.length > 0 ? EXIT.failedCheck : EXIT.ok);
        } finally {
          await stores.close();
        }
      });

    likeParent(program, audit.command('compliance'))
      .description('every call dialled in [--from, --to): proof it was not on a do-not-call list at that log position and was inside its calling window')
      .requiredOption('--from <time>', 'first instant of dialling, ISO date or date-time (inclusive)')
      .requiredOption('--to <time>', 'last instant of dialling, ISO date or date-time (exclusive)')
      .option('--json', 'print the report as JSON')
      .option('--no-progress', 'no progress bar on stderr')
      .addHelpText('after', '\nExit codes: 0 no violation, 1 at least one call dialled while listed or outside its window, 2 bad usage, 3 could not run.')
      .action(async (options: { from: string; to: string; json?: boolean; progress: boolean }) => {
        const { from, to } = periodOf(options);
        const stores = await context.openStores();
        try {
          const bar = await scanProgress(stores.store, options.progress && !options.json, context.stderr, 'compliance');
          const report = await new ComplianceService(stores.store).audit(from, to, (scanned) => bar?.update(scanned));
          bar?.stop();
          context.stdout.write(options.json ? json(report) : complianceText(report));
          finish(report.violations > 0 ? EXIT.failedCheck : EXIT.ok);
        } finally {
          await stores.close();
        }
      });
  },
};
