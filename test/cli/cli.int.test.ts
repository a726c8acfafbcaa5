/**
 * The `calltrail` CLI: verify and replay against real stores, and clear errors with the right exit
 * codes. Runs in-process with its context injected; one test runs the real bin in a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { EventStoreUnavailableError } from '../../src/adapters/eventstore/port.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import type { CliContext } from '../../src/cli/context.ts';
import { runCli } from '../../src/cli/program.ts';
import { callStreamEvents } from '../support/call-events.ts';
import { testDatabases } from '../support/databases.ts';

type Run = { code: number; out: string; err: string };

function contextFor(open: CliContext['openStores']): { context: CliContext; output: () => { out: string; err: string } } {
  let out = '';
  let err = '';
  return {
    context: {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      now: () => new Date('2026-11-23T12:00:00Z'),
      openStores: open,
    },
    output: () => ({ out, err }),
  };
}

const [backend] = testDatabases();

describe(`calltrail CLI on ${backend!.name}`, () => {
  let database: Database;
  let store: PostgresEventStore;

  async function cli(...argv: string[]): Promise<Run> {
    const { context, output } = contextFor(async () => ({ database, store, description: 'test database', close: async () => {} }));
    const code = await runCli(argv, context);
    return { code, ...output() };
  }

  beforeAll(async () => {
    database = await backend!.open();
    store = await createPostgresEventStore(database);
    for (let index = 0; index < 20; index++) {
      const { callId, events } = callStreamEvents(index);
      await store.append(`call-${callId}`, events, 'no_stream');
    }
  });
  afterAll(async () => {
    await store?.close();
    await database?.close();
  });

  it('verify passes on an intact log, for all streams and for one', async () => {
    const all = await cli('verify', '--no-progress');
    expect(all).toMatchObject({ code: 0, err: '' });
    expect(all.out).toMatch(/^OK: every stream: \d+ events in 20 streams/);
    const one = await cli('verify', '--stream', `call-${callStreamEvents(2).callId}`);
    expect(one.code).toBe(0);
    expect(one.out).toContain('OK: stream call-');
  });

  it('replay rebuilds and swaps in, then replays to a time into a schema of its own', async () => {
    const rebuilt = await cli('replay', 'calls', '--no-progress');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.out).toMatch(/replayed \d+ events into calls; swapped in call_timeline, calls/);

    const past = await cli('replay', '--to-time', '2026-03-01T09:00:10Z', '--schema', 'cli_past');
    expect(past.code).toBe(0);
    expect(past.out).toContain('in schema cli_past, stopped at the requested time');
    expect(past.err).toMatch(/replay \[.*\] .*events\/s/); // the progress bar, on stderr
    const { rows } = await sql<{ n: string }>`select count(*) as n from cli_past.calls`.execute(database.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    expect(Number(rows[0]!.n)).toBeLessThan(20);

    const taken = await cli('replay', '--to-time', '2026-03-01T09:00:10Z', '--schema', 'cli_past');
    expect(taken.code).toBe(2);
    expect(taken.err).toContain('schema cli_past already exists');
  });

  it('verify exits 1 naming the stream and revision of an event altered in storage', async () => {
    const stream = `call-${callStreamEvents(8).callId}`;
    await sql`update es_events set data = jsonb_set(data, '{billableMs}', '1') where stream_name = ${stream} and stream_revision = 4`.execute(database.db);
    const run = await cli('verify', '--all', '--no-progress');
    expect(run.code).toBe(1);
    expect(run.out).toContain(`BROKEN: every stream: first broken link at stream ${stream}, revision 4`);
    const json = await cli('verify', '--stream', stream, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, firstBroken: { stream, revision: '4' } });
  });

  it.each([
    [['verify', '--stream', 'a', '--all'], 'either --stream or --all'],
    [['verify', '--stream', ' '], '--stream needs a stream name'],
    [['verify', '--bogus'], "unknown option '--bogus'"],
    [['replay', '--to-position', '12'], 'expected <commit>:<prepare>'],
    [['replay', '--to-time', '2026-03-01 09:00'], 'ISO-8601 instant with a zone'],
    [['replay', '--to-time', '2026-02-30T25:00:00Z'], 'not a valid date'],
    [['replay', '--to-time', '2026-03-01T09:00:00Z', '--to-position', '1:1'], 'either --to-position or --to-time'],
    [['replay', 'invoices'], 'unknown read model invoices; known: calls, accounts'],
    [['replay', '--schema', 'Drop Table'], 'schema name "Drop Table"'],
    [['replay', '--batch-size', '0'], 'whole number from 1 to 50000'],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('rejects %j with exit 2 and says why', async (argv, message) => {
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
  });

  it.each([['verify'], ['replay'], []])('prints help for %j and exits 0', async (...sub) => {
    const run = await cli(...sub, '--help');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Usage: calltrail ${sub.join('')}`.trim());
  });

  it('exits 3 with the reason when the store cannot be reached', async () => {
    const { context, output } = contextFor(async () => {
      throw new EventStoreUnavailableError('Cannot reach EventStoreDB at esdb://db:2113: connection refused');
    });
    expect(await runCli(['verify'], context)).toBe(3);
    expect(output().err).toBe('calltrail: Cannot reach EventStoreDB at esdb://db:2113: connection refused\n');
  });
});

describe('the calltrail bin', () => {
  it('runs `verify` against the configured store (PGlite in DATA_DIR) and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'calltrail-cli-'));
    try {
      const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '' };
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'verify', '--no-progress'], { env, timeout: 60_000 });
      expect(stdout).toContain('OK: every stream: 0 events in 0 streams');
      const failed = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', '--to-time', 'soon'], { env }).catch((error: { code: number; stderr: string }) => error);
      expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('ISO-8601') });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
