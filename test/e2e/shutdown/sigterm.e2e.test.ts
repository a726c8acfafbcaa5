import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/adapters/db/database.ts';
import { createPostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { poll } from '../../support/poll.ts';

/**
 * `npm start` as an operator runs it (src/main.ts, the sandbox on PGlite), sent SIGTERM while
 * clients keep placing calls. It must answer every request it accepted, exit 0, log no error,
 * and leave every projection's and reactor's checkpoint at the head of the log, so the next start
 * redoes nothing.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'calltrail-sigterm-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('SIGTERM under load', () => {
  it('drains requests and consumers, exits 0 with no error logged, checkpoints at the log head', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: '0',
        RATE_LIMIT_GENERAL_PER_MINUTE: '1000000',
        RATE_LIMIT_CALLS_PER_MINUTE: '1000000',
        PASSWORD_SCRYPT_LOG2N: '12',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const url = await poll('the engine to listen', async () => /listening on (http:\/\/\S+)/.exec(stdout)?.[1], 60_000);
    const key = await poll('the demo key', async () => /demo API key[^:]*: (ct_\S+)/.exec(stdout)?.[1], 60_000);

    // Clients that keep placing calls (numbers that answer and play, so calls are live at SIGTERM).
    const statuses: number[] = [];
    let stop = false;
    const client = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${url}/api/v1/calls`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ phone_number: '03001234567' }),
          });
          statuses.push(res.status);
          await res.arrayBuffer();
        } catch {
          // Refused once the server stops listening: expected, and the client stops.
          return;
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await poll('calls under way', async () => statuses.filter((s) => s === 201).length >= 20, 60_000);
    child.kill('SIGTERM');
    const code = await exited;
    stop = true;
    await Promise.all(clients);

    const log = `${stdout}\n${stderr}`;
    expect(code, log).toBe(0);
    expect(statuses.filter((s) => s !== 201), 'every accepted request answered 201').toEqual([]);
    const errors = log.split('\n').filter((line) => /"level":"error"|error|destroyed|closed/i.test(line));
    expect(errors, 'error lines in the log').toEqual([]);

    // The log and the checkpoints, read after the process is gone.
    const database = await openDatabase({ dataDir: join(dataDir, 'pglite') });
    try {
      const store = await createPostgresEventStore(database);
      const checkpoints = await database.db.selectFrom('checkpoints').select(['name', 'commit_position', 'prepare_position']).execute();
      expect(checkpoints.map((c) => c.name)).toEqual(expect.arrayContaining(['calls@v2', 'reactor:billing', 'reactor:dialer']));
      const behind: Record<string, number> = {};
      for (const c of checkpoints) {
        const after = { commit: BigInt(c.commit_position), prepare: BigInt(c.prepare_position) };
        const tail = await store.readAll({ after, maxCount: 1000 });
        if (tail.length > 0) behind[c.name] = tail.length;
      }
      expect(behind, 'events after each checkpoint').toEqual({});
    } finally {
      await database.close();
    }
    expect(log).toContain('"msg":"stopped"');
  }, 120_000);
});
