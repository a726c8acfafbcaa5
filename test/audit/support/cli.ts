import type { Database } from '../../../src/adapters/db/database.ts';
import type { EventStore } from '../../../src/adapters/eventstore/port.ts';
import type { CliContext } from '../../../src/cli/context.ts';
import { runCli } from '../../../src/cli/program.ts';

/** Runs `calltrail …` in-process against an already-open test database and store, capturing its output. */
export async function runCliOn(
  database: Database,
  store: EventStore,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const context: CliContext = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    now: () => new Date('2026-11-23T12:00:00Z'),
    openStores: async () => ({ database, store, description: 'test database', close: async () => {} }),
  };
  const code = await runCli(argv, context);
  return { code, out, err };
}
