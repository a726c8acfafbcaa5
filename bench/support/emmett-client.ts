import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Measured, Sizes } from './event-store-workloads.ts';

export type EmmettRunner = {
  run(workload: 'single' | 'batched' | 'hot' | 'read'): Promise<Measured>;
  close(): Promise<void>;
};

/**
 * Starts the Emmett worker (emmett-worker.ts) on a throwaway database of its own on the same
 * server as `url`, so its tables, functions and sequences never meet calltrail's. Returns undefined
 * (with the reason printed) when Emmett cannot be loaded or the database cannot be created.
 */
export async function startEmmett(url: string, sizes: Sizes): Promise<EmmettRunner | undefined> {
  const name = `bench_emmett_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
    await admin.query(`create database ${name}`);
  } catch (error) {
    console.log(`  Emmett skipped: cannot create its database (${(error as Error).message})`);
    await admin.end().catch(() => undefined);
    return undefined;
  }
  const emmettUrl = new URL(url);
  emmettUrl.pathname = `/${name}`;
  const worker = fork(fileURLToPath(new URL('./emmett-worker.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = request(worker);
  const close = async () => {
    await ask({ close: true }).catch(() => undefined);
    worker.kill();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  try {
    await ask({ url: emmettUrl.toString(), sizes });
  } catch (error) {
    console.log(`  Emmett skipped: ${(error as Error).message.split('\n')[0]}`);
    await close();
    return undefined;
  }
  return { run: async (workload) => (await ask({ workload })) as Measured, close };
}

/** One request in flight at a time: the parent runs the workloads one after another. */
function request(worker: ChildProcess) {
  return (message: object) =>
    new Promise<Measured | null>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`emmett worker exited (${code})`));
      worker.once('exit', onExit);
      worker.once('message', (reply: { ok: boolean; reply?: Measured | null; error?: string }) => {
        worker.off('exit', onExit);
        if (reply.ok) resolve(reply.reply ?? null);
        else reject(new Error(reply.error));
      });
      worker.send(message);
    });
}
