import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { openDatabase } from '../../../src/adapters/db/database.ts';
import { generateOperatorKey } from '../../../src/app/authenticate.ts';
import { startTestEngine, type RunningEngine } from '../../e2e/support/engine.ts';

/**
 * A real engine on PGlite with the ARI simulator, behind a real HTTP listener, for the browser
 * tests: the console is served by it exactly as `npm start` serves it. It comes with the
 * operator key, the sandbox demo tenant's key, and a user of that tenant who can sign in.
 */
export type ConsoleEngine = {
  running: RunningEngine;
  baseUrl: string;
  operatorKey: string;
  tenantKey: string;
  user: { email: string; password: string };
  close(): Promise<void>;
};

export async function startConsoleEngine(env: NodeJS.ProcessEnv = {}): Promise<ConsoleEngine> {
  const operator = generateOperatorKey();
  const running = await startTestEngine(await openDatabase({}), { env: { OPERATOR_API_KEY_HASH: operator.hash, CAMPAIGN_POLL_MS: '50', ...env } });
  const server: Server = createServer((req, res) => running.engine.app(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The simulator fetches broadcasts over HTTP as Asterisk would, so it needs the real listener.
  running.engine.audio.setListenUrl(baseUrl);

  const user = { email: 'ops@example.test', password: 'correct horse battery staple' };
  const created = await request(running.engine.app).post('/api/v1/users').set('Authorization', `Bearer ${running.apiKey}`).send({ ...user, name: 'Ops', role: 'admin' });
  if (created.status !== 201) throw new Error(`could not create the console user: ${created.status} ${JSON.stringify(created.body)}`);

  return {
    running,
    baseUrl,
    operatorKey: operator.secret,
    tenantKey: running.apiKey,
    user,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await running.close();
    },
  };
}
