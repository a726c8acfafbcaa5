/**
 * `npm start`: the whole engine. With nothing configured it runs the embedded sandbox — PGlite in
 * ./data and the ARI simulator in-process — and prints the URL and a demo API key.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { ensureDemoAccess } from './app/bootstrap.ts';
import { ConfigError, loadConfig } from './app/config.ts';
import { Engine } from './app/engine.ts';
import { consoleLogger } from './app/logger.ts';
import { asteriskTelephony, hasAsteriskConfigured, sandboxTelephony } from './app/telephony.ts';
import { systemClock } from './domain/shared/clock.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const sandbox = !hasAsteriskConfigured(config.env);
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const logger = consoleLogger();

  const engine = await Engine.create({
    config,
    clock: systemClock,
    logger,
    telephony: sandbox ? sandboxTelephony() : asteriskTelephony(config),
  });
  await engine.start();

  const server: Server = await new Promise((resolve) => {
    const listening = engine.app.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  console.log(`calltrail is listening on ${url}`);
  console.log(`  event store: ${config.eventStoreUrl ? 'EventStoreDB' : config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}`);
  console.log(`  telephony:   ${sandbox ? 'sandbox (ARI simulator in-process)' : 'Asterisk over ARI'}`);
  if (sandbox) {
    const { apiKey } = await ensureDemoAccess(engine, config);
    console.log(`  demo API key (new on every sandbox start; the previous one is revoked): ${apiKey}`);
    console.log(`\nTry: curl -s -X POST ${url}/api/v1/calls -H "Authorization: Bearer ${apiKey}" -H "Content-Type: application/json" -d '{"phone_number":"03001234567"}'`);
  }

  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: shutting down`);
    server.close();
    await engine.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('calltrail failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
