import { isVerifiable, type VerifyReport } from '../../adapters/eventstore/hash-chain.ts';
import { CliError, EXIT } from '../errors.ts';
import { progressBar } from '../progress.ts';
import type { CliCommand } from './types.ts';

type VerifyOptions = { stream?: string; all?: boolean; json?: boolean; progress: boolean };

export const verifyCommand: CliCommand = {
  name: 'verify',
  register(program, context, finish) {
    program
      .command('verify')
      .description("check the event log's hash chains and report the first broken link (exit 1 if any)")
      .option('--stream <name>', 'check one stream, e.g. call-<uuid>')
      .option('--all', 'check every stream (the default)')
      .option('--json', 'print the report as JSON')
      .option('--no-progress', 'no progress bar on stderr')
      .addHelpText('after', '\nExit codes: 0 every link holds, 1 a broken link was found, 2 bad usage, 3 the check could not run.')
      .action(async (options: VerifyOptions) => {
        if (options.stream !== undefined && options.all) throw new CliError('choose either --stream or --all, not both', EXIT.usage);
        if (options.stream !== undefined && options.stream.trim() === '') throw new CliError('--stream needs a stream name', EXIT.usage);
        const stores = await context.openStores();
        try {
          const { store } = stores;
          if (!isVerifiable(store)) throw new CliError(`the event store (${stores.description}) keeps no hash chain to verify`);
          let report: VerifyReport;
          if (options.stream !== undefined) {
            report = await store.verifyStream(options.stream);
          } else {
            const total = 'countEvents' in store && typeof store.countEvents === 'function' ? await (store.countEvents as () => Promise<number>)() : undefined;
            const bar = options.progress && !options.json
              ? progressBar({ out: context.stderr, label: 'verify', fractionDone: (done) => (total ? done / total : undefined) })
              : undefined;
            report = await store.verifyAll((progress) => bar?.update(progress.checked));
            bar?.stop();
          }
          print(report, options, context.stdout);
          finish(report.ok ? EXIT.ok : EXIT.failedCheck);
        } finally {
          await stores.close();
        }
      });
  },
};

function print(report: VerifyReport, options: VerifyOptions, out: { write(text: string): unknown }): void {
  const scope = options.stream !== undefined ? `stream ${options.stream}` : 'every stream';
  if (options.json) {
    out.write(`${JSON.stringify(report, (_, value) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`);
    return;
  }
  if (report.ok) {
    out.write(`OK: ${scope}: ${report.checked} events in ${report.streams} streams, every hash link holds\n`);
    return;
  }
  const broken = report.firstBroken!;
  const where = broken.position ? ` (log position ${broken.position.commit}:${broken.position.prepare})` : '';
  out.write(`BROKEN: ${scope}: first broken link at stream ${broken.stream}, revision ${broken.revision}${where}\n`);
  out.write(`  reason: ${broken.reason}\n`);
  out.write(`  ${report.checked} events checked before it stopped\n`);
}
