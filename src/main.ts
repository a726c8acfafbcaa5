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
import { closeHttpServer } from './app/http-server-close.ts';
import { validateSettings } from './app/settings.ts';
import { sandboxSecrets } from './app/sandbox-secrets.ts';
import { asteriskWithTestMode, hasAsteriskConfigured, sandboxTelephony } from './app/telephony.ts';
import { systemClock } from './domain/shared/clock.ts';

async function main(): Promise<void> {
  validateSettings(process.env);
  let config = loadConfig();
  const sandbox = !hasAsteriskConfigured(config.env);
  if (!config.databaseUrl || sandbox) mkdirSync(config.dataDir, { recursive: true });
  const logger = consoleLogger({ level: config.logLevel });
  // The sandbox keeps a JWT secret in its data folder and makes an operator key per start.
  const secrets = sandbox ? sandboxSecrets(config.dataDir, config.env) : { env: config.env, operatorKey: null };
  config = loadConfig(secrets.env);
  if (!config.env.JWT_SECRET) logger.info('JWT_SECRET is not set: access tokens are signed with a per-process secret and die with it');
  if (!config.env.WEBHOOK_SECRET_KEY) logger.info('WEBHOOK_SECRET_KEY is not set: webhook secrets are sealed with a per-process key, and endpoints stop signing after a restart');

  const engine = await Engine.create({
    config,
    clock: systemClock,
    logger,
    telephony: sandbox ? sandboxTelephony() : asteriskWithTestMode(config),
  });
  await engine.start();

  const server: Server = await new Promise((resolve) => {
    const listening = engine.app.listen(config.port, config.host, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  // Media links handed to the PBX use PUBLIC_URL when set, else the address we really listen on.
  engine.audio.setListenUrl(url);

  console.log(`calltrail is listening on ${url}`);
  console.log(`  event store: ${config.eventStoreUrl ? 'EventStoreDB' : config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}`);
  console.log(`  telephony:   ${sandbox ? 'sandbox (ARI simulator in-process)' : 'Asterisk over ARI'}`);
  if (!sandbox && !config.env.OPERATOR_API_KEY_HASH && (await engine.operatorKeys.active()).length === 0) {
    console.log('  no operator key yet: run `npm run cli -- init` against this store to make one and a first tenant');
  }
  if (sandbox) {
    const { apiKey } = await ensureDemoAccess(engine, config);
    console.log(`  demo API key (new on every sandbox start; the previous one is revoked): ${apiKey}`);
    if (secrets.operatorKey) console.log(`  operator key (creates tenants at POST /api/v1/accounts; new on every sandbox start): ${secrets.operatorKey}`);
    console.log(`\nTry: curl -s -X POST ${url}/api/v1/calls -H "Authorization: Bearer ${apiKey}" -H "Content-Type: application/json" -d '{"phone_number":"03001234567"}'`);
  }

  // In-flight requests are answered, then the engine drains its consumers and closes the stores.
  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    try {
      // Open event streams would keep the server from closing until its cut-off: they end first.
      engine.liveEvents.close();
      await closeHttpServer(server);
      await engine.stop();
      logger.info('stopped', { signal });
      logger.flush();
      process.exit(0);
    } catch (error) {
      logger.error('shutdown failed', { error: error instanceof Error ? error.message : String(error) });
      logger.flush();
      process.exit(1);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('calltrail failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
