/**
 * One engine process for the campaign crash test: `src/main.ts` without its sandbox, on a Postgres
 * schema of the test's (DATABASE_URL + DATABASE_SCHEMA) and an external ARI (ARI_URL …), so
 * several of these share one store and one simulated PBX. With SEED=1 it also makes the demo
 * account and key. It reports on stdout, one JSON line each: {"listening": url}, {"apiKey": …}.
 */
import type { Server } from 'node:http';
import { openDatabase } from '../../../../src/adapters/db/database.ts';
import { ensureDemoAccess } from '../../../../src/app/bootstrap.ts';
import { loadConfig } from '../../../../src/app/config.ts';
import { Engine } from '../../../../src/app/engine.ts';
import { consoleLogger } from '../../../../src/app/logger.ts';
import { asteriskTelephony } from '../../../../src/app/telephony.ts';
import { systemClock } from '../../../../src/domain/shared/clock.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const schema = process.env.DATABASE_SCHEMA;
  if (!config.databaseUrl || !schema) throw new Error('DATABASE_URL and DATABASE_SCHEMA must be set');
  const database = await openDatabase({ url: config.databaseUrl, searchPath: schema, maxConnections: 8 });
  const engine = await Engine.create({ config, clock: systemClock, logger: consoleLogger(), database, telephony: asteriskTelephony(config) });
  await engine.start();
  const server: Server = await new Promise((resolve) => {
    const listening = engine.app.listen(config.port, config.host, () => resolve(listening));
  });
  const url = `http://${config.host}:${config.port}`;
  engine.audio.setListenUrl(url);
  report({ listening: url });
  if (process.env.SEED === '1') {
    const { apiKey, accountId } = await ensureDemoAccess(engine, config);
    report({ apiKey, accountId });
  }
  process.once('SIGTERM', () => {
    server.close();
    void engine.stop().then(
      () => database.close(),
    ).finally(() => process.exit(0));
  });
}

function report(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().catch((error: unknown) => {
  console.error('engine process failed to start:', error instanceof Error ? error.stack : error);
  process.exit(1);
});
