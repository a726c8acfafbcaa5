import { InvalidArgumentError } from 'commander';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { projectionNamed, readModelProjections } from '../../projections/registry.ts';
import { replay, type ReplayProgress, type ReplayStop } from '../../projections/replay/replay.ts';
import { ReplayError } from '../../projections/replay/fresh-schema.ts';
import type { Stores } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import { progressBar } from '../progress.ts';
import type { CliCommand } from './types.ts';

type ReplayOptions = { toPosition?: GlobalPosition; toTime?: Date; schema?: string; batchSize: number; progress: boolean };

export function parsePosition(text: string): GlobalPosition {
  const match = /^(\d+):(\d+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected <commit>:<prepare>, e.g. 1234:1234');
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}

export function parseTime(text: string): Date {
  // An instant needs a zone: a bare local time would mean different things on different machines.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) {
    throw new InvalidArgumentError('expected an ISO-8601 instant with a zone, e.g. 2026-03-01T09:30:00Z');
  }
  const at = new Date(text.trim());
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError('not a valid date and time');
  return at;
}

function parseBatchSize(text: string): number {
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 50_000) throw new InvalidArgumentError('expected a whole number from 1 to 50000');
  return size;
}

export const replayCommand: CliCommand = {
  name: 'replay',
  register(program, context, finish) {
    const names = readModelProjections.map((projection) => projection.name);
    program
      .command('replay')
      .description('rebuild read models from the log into fresh tables and swap them in while the API keeps serving')
      .argument('[projection...]', `read models to rebuild (${names.join(', ')}); all when none is named`)
      .option('--to-position <commit:prepare>', 'stop after this log position, into a separate schema (no swap)', parsePosition)
      .option('--to-time <iso>', 'stop at the first event that happened after this instant, into a separate schema (no swap)', parseTime)
      .option('--schema <name>', 'schema to build in (default: a new calltrail_rebuild_… or calltrail_replay_…)')
      .option('--batch-size <n>', 'events per transaction', parseBatchSize, 2000)
      .option('--no-progress', 'no progress bar on stderr')
      .addHelpText(
        'after',
        [
          '',
          'Without --to-position/--to-time the rebuilt tables replace the live ones in one transaction.',
          'With either, the read models as they were at that point stay in their own schema for investigation:',
          '  calltrail replay calls --to-time 2026-03-01T10:00:00Z --schema dispute_4711',
          '  psql -c "select * from dispute_4711.calls where call_id = \'…\'"',
          '',
          'Exit codes: 0 done, 2 bad usage, 3 the replay could not run (nothing live was changed).',
        ].join('\n'),
      )
      .action(async (requested: string[], options: ReplayOptions) => {
        if (options.toPosition !== undefined && options.toTime !== undefined) {
          throw new CliError('choose either --to-position or --to-time, not both', EXIT.usage);
        }
        const unknown = requested.filter((name) => projectionNamed(name) === undefined);
        if (unknown.length > 0) throw new CliError(`unknown read model ${unknown.join(', ')}; known: ${names.join(', ')}`, EXIT.usage);
        const projections = requested.length === 0 ? [...readModelProjections] : [...new Set(requested)].map((name) => projectionNamed(name)!);
        const until: ReplayStop | undefined =
          options.toPosition !== undefined ? { position: options.toPosition } : options.toTime !== undefined ? { time: options.toTime } : undefined;

        const stores = await context.openStores();
        try {
          const estimate = await progressEstimate(stores);
          const bar = options.progress ? progressBar({ out: context.stderr, label: 'replay', fractionDone: (done) => estimate.byCount(done) }) : undefined;
          let phase: ReplayProgress['phase'] = 'replaying';
          const result = await replay({
            db: stores.database.db,
            store: stores.store,
            projections,
            ...(options.schema !== undefined && { schema: options.schema }),
            ...(until !== undefined && { until }),
            batchSize: options.batchSize,
            now: context.now(),
            onProgress: (progress) => {
              phase = progress.phase;
              bar?.update(progress.events, estimate.byPosition(progress.position));
            },
          }).catch((error: unknown) => {
            bar?.stop();
            if (error instanceof ReplayError) throw new CliError(error.message, EXIT.usage);
            throw error;
          });
          const rate = bar?.stop();
          const out = context.stdout;
          const what = projections.map((projection) => projection.name).join(', ');
          const position = result.position ? `${result.position.commit}:${result.position.prepare}` : 'the start (empty log)';
          if (result.swapped) {
            out.write(`replayed ${result.events} events into ${what}; swapped in ${result.tables.join(', ')} (up to log position ${position})\n`);
          } else {
            out.write(`replayed ${result.events} events into ${what} in schema ${result.schema}, stopped at ${result.stoppedAt === 'end' ? 'the end of the log' : `the requested ${result.stoppedAt}`} (last position ${position})\n`);
            out.write(`  tables: ${result.tables.map((table) => `${result.schema}.${table}`).join(', ')}; the live read models were not touched\n`);
          }
          if (rate) out.write(`  ${Math.round(rate.perSecond)} events/s over ${rate.seconds.toFixed(1)} s (last phase: ${phase})\n`);
          finish(EXIT.ok);
        } finally {
          await stores.close();
        }
      });
  },
};

/** How far along a replay is: by event count where the store can count, else by log position. */
async function progressEstimate(stores: Stores): Promise<{ byCount(done: number): number | undefined; byPosition(position: GlobalPosition): number | undefined }> {
  const store = stores.store as unknown as { countEvents?: () => Promise<number>; endPosition?: () => Promise<GlobalPosition | undefined> };
  if (typeof store.countEvents === 'function') {
    const total = await store.countEvents();
    return { byCount: (done) => (total > 0 ? done / total : 1), byPosition: () => undefined };
  }
  if (typeof store.endPosition === 'function') {
    const end = await store.endPosition();
    return {
      byCount: () => undefined,
      byPosition: (position) => (end && end.commit > 0n ? Number(position.commit) / Number(end.commit) : undefined),
    };
  }
  return { byCount: () => undefined, byPosition: () => undefined };
}
