import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { connectAriClient, tolerateUnknownEventTypes, type AriClient } from '../../../src/adapters/telephony/ari/ari-client-loader.ts';
import { startAriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { createAriTelephony, type AriTelephony } from '../../../src/adapters/telephony/ari/index.ts';

/**
 * A misconfigured or restarting Asterisk answers its api-docs with an error. Unguarded,
 * ari-client's swagger layer turns that into an uncaught exception that kills the process.
 */

type Answer = (path: string, host: string) => { status: number; body: unknown };

async function fakeAsterisk(answer: Answer): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const { status, body } = answer(path, req.headers.host ?? '');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, server };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const uncaught: unknown[] = [];
const recordUncaught = (error: unknown) => uncaught.push(error);
let server: Server | undefined;
let telephony: AriTelephony | undefined;

afterEach(async () => {
  process.off('uncaughtException', recordUncaught);
  await telephony?.close();
  telephony = undefined;
  const open = server;
  if (open) await new Promise((resolve) => open.close(resolve));
  server = undefined;
  uncaught.length = 0;
});

describe('connecting to an Asterisk whose api-docs fail', () => {
  it('rejects instead of throwing when resources.json answers 500', async () => {
    process.on('uncaughtException', recordUncaught);
    const fake = await fakeAsterisk(() => ({ status: 500, body: { message: 'starting' } }));
    server = fake.server;
    await expect(connectAriClient(fake.url, 'u', 'p', 2000)).rejects.toThrow(/500/);
    // Give any late throw from the HTTP callback a chance to surface.
    await new Promise((resolve) => setImmediate(resolve));
    expect(uncaught).toEqual([]);
  });

  it('rejects instead of throwing when a single resource file answers 503', async () => {
    process.on('uncaughtException', recordUncaught);
    const fake = await fakeAsterisk((path, host) =>
      path.endsWith('resources.json')
        ? {
            status: 200,
            body: { swaggerVersion: '1.2', basePath: `http://${host}/ari`, apis: [{ path: '/api-docs/channels.{format}' }] },
          }
        : { status: 503, body: { message: 'no' } },
    );
    server = fake.server;
    await expect(connectAriClient(fake.url, 'u', 'p', 2000)).rejects.toThrow(/channels/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.requests).toContain('/ari/api-docs/channels.json');
    expect(uncaught).toEqual([]);
  });

  it('keeps the adapter alive, reports the node down, and keeps retrying', async () => {
    process.on('uncaughtException', recordUncaught);
    const fake = await fakeAsterisk(() => ({ status: 500, body: { message: 'starting' } }));
    server = fake.server;
    telephony = createAriTelephony(
      {
        nodes: [{ name: 'pbx1', url: fake.url, username: 'u', password: 'p' }],
        trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier' }],
        reconnect: { initialDelayMs: 20, maxDelayMs: 40 },
      },
      { clock: systemClock },
    );
    await until(() => fake.requests.filter((p) => p.endsWith('resources.json')).length >= 3);
    const health = await telephony.health();
    expect(health.ok).toBe(false);
    expect(health.nodes[0]).toMatchObject({ name: 'pbx1', ok: false });
    expect(health.nodes[0]!.detail).toMatch(/500/);
    expect(uncaught).toEqual([]);
  });
});

describe('an Asterisk that sends event types unknown to the loaded api-docs', () => {
  it('delivers them instead of throwing inside the socket handler', async () => {
    process.on('uncaughtException', recordUncaught);
    const sim = await startAriSimulator({ timeScale: 0.01 });
    let client: AriClient | undefined;
    try {
      client = await connectAriClient(sim.url, sim.username, sim.password, 2000);
      tolerateUnknownEventTypes(client);
      const types: string[] = [];
      client.on('*', (event: { type: string }) => types.push(event.type));
      await client.start('calltrail');
      // As if Asterisk had been upgraded under us: the models loaded at connect lack these types.
      const models = (client as unknown as { _swagger: { apis: { events: { models: Record<string, unknown> } } } })._swagger.apis.events.models;
      delete models['ChannelStateChange'];
      delete models['StasisStart'];

      const auth = `Basic ${Buffer.from(`${sim.username}:${sim.password}`).toString('base64')}`;
      const originate = await fetch(`${sim.url}/ari/channels?endpoint=PJSIP/923001234567@carrier&app=calltrail`, {
        method: 'POST',
        headers: { authorization: auth },
      });
      expect(originate.status).toBe(200);
      await until(() => types.includes('StasisStart'));
      expect(types).toContain('ChannelStateChange');
      expect(uncaught).toEqual([]);
    } finally {
      client?.stop();
      await sim.close();
    }
  });
});
