import { writeFile } from 'node:fs/promises';
import { AuditService } from '../../commands/audit/audit-service.ts';
import { ComplianceService } from '../../commands/audit/compliance-service.ts';
import { NotFoundError } from '../../domain/shared/errors.ts';
import { CliError, EXIT } from '../errors.ts';
import { renderDispute, type DisputeFormat, type DisputeSubject } from '../../reports/dispute.ts';
import { parseInstant } from '../reports/format.ts';
import { likeParent } from './audit.ts';
import type { CliCommand } from './types.ts';

const FORMATS: readonly DisputeFormat[] = ['html', 'json', 'csv'];

type ExportOptions = { format: string; out?: string; from?: string; to?: string };

/**
 * `export dispute <callId|accountId> --format html|json|csv [--out file] [--from --to]`: a report a
 * customer can check by hand. A call id gives that call's report; an account id every call placed
 * in the period. The HTML is one file that renders with no server, no scripts and no external assets.
 * A call's report also carries its compliance proof: the do-not-call lists and the calling window at its CallDialing.
 */
export const exportCommand: CliCommand = {
  name: 'export',
  register(program, context, finish) {
    const group = program.command('export').description('reports for customers');
    likeParent(program, group.command('dispute'))
      .description('a self-contained dispute report (timeline, evidence, rates, arithmetic) for a call, or for an account over a period')
      .argument('<id>', 'a call id, or an account id (then --from and --to are required)')
      .requiredOption('--format <format>', 'html, json or csv')
      .option('--out <file>', 'write the report to this file instead of stdout')
      .option('--from <time>', 'account reports: first instant (inclusive)')
      .option('--to <time>', 'account reports: last instant (exclusive)')
      .action(async (id: string, options: ExportOptions) => {
        const format = options.format.toLowerCase() as DisputeFormat;
        if (!FORMATS.includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')} (got "${options.format}")`, EXIT.usage);
        const from = options.from === undefined ? undefined : parseInstant(options.from, '--from');
        const to = options.to === undefined ? undefined : parseInstant(options.to, '--to');
        if (from && to && Date.parse(from) >= Date.parse(to)) throw new CliError('--from must be before --to', EXIT.usage);
        const stores = await context.openStores();
        try {
          const audit = new AuditService(stores.store);
          let subject: DisputeSubject;
          try {
            const callAudit = await audit.call(id.trim());
            subject = { kind: 'call', audit: callAudit, compliance: await new ComplianceService(stores.store).call(id.trim()) };
          } catch (error) {
            if (!(error instanceof NotFoundError)) throw error;
            if (!from || !to) throw new CliError(`no call ${id} in the event log; for an account report give --from and --to`, EXIT.usage);
            await audit.balance(id.trim(), to).catch((missing: unknown) => {
              if (missing instanceof NotFoundError) throw new CliError(`${id} is neither a call nor an account with a wallet in the event log (${stores.description})`);
              throw missing;
            });
            subject = { kind: 'account', account: await audit.account(id.trim(), from, to) };
          }
          const text = renderDispute(subject, format, context.now().toISOString());
          if (options.out) {
            await writeFile(options.out, text, 'utf8');
            context.stderr.write(`wrote ${format.toUpperCase()} report to ${options.out}\n`);
          } else context.stdout.write(text);
          finish(EXIT.ok);
        } finally {
          await stores.close();
        }
      });
  },
};
