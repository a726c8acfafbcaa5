import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../src/adapters/db/database.ts';
import type { EventStore } from '../../../src/adapters/eventstore/port.ts';
import { createPostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { startAriSimulator, type AriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { dncStream } from '../../../src/domain/shared/streams.ts';
import { payloadIdOf } from '../../../src/domain/webhook/source-events.ts';
import { verifyWebhook } from '../../../src/webhooks/verify.ts';
import { poll } from '../../support/poll.ts';
import { childEngineEnv, EngineProcess, freePort } from '../campaigns/support/engine-processes.ts';
import { Receiver, WEBHOOK_TEST_ENV } from './support.ts';

/**
 * kill -9 of the engine while 500 deliveries are pending: after a restart every event is
 * delivered at least once, nothing marked delivered was missed by the receiver, and a
 * duplicate is the same event (same id, same body).
 */
const url = process.env.TEST_DATABASE_URL;
if (!url) console.log('webhook crash test skipped: TEST_DATABASE_URL is not set (it needs Postgres)');

const EVENTS = 500;

describe.skipIf(!url)('webhook deliveries survive kill -9 of the engine (Postgres)', () => {
  const schema = `whcrash_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const workDir = mkdtempSync(join(tmpdir(), 'calltrail-whcrash-'));
  let admin: pg.Client;
  let database: Database;
  let store: EventStore;
  let simulator: AriSimulator;
  let engine: EngineProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    simulator = await startAriSimulator({ timeScale: 0.01 });
    receiver = await Receiver.start();
    engine = new EngineProcess(
      'engine',
      {
        ...childEngineEnv({ databaseUrl: url!, schema, simulator, workDir }),
        PORT: String(await freePort()),
        ...WEBHOOK_TEST_ENV,
        // A dead process's lane is free after this; the restarted one takes it over.
        WEBHOOK_LEASE_MS: '1500',
        WEBHOOK_TIMEOUT_MS: '1000',
      },
      join(workDir, 'engine.log'),
    );
    await engine.start({ seed: true });
    database = await openDatabase({ url: url!, searchPath: schema, maxConnections: 4 });
    store = await createPostgresEventStore(database);
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
    engine?.close();
    await simulator?.close();
    await receiver?.down();
    await database?.close();
    await admin?.query(`drop schema if exists ${schema} cascade`);
    await admin?.end();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('delivers every event at least once after a restart, never marking one delivered that was not received', async () => {
    const api = String(engine.report('listening'));
    const key = String(engine.report('apiKey'));
    // A receiver slow enough that the kill lands in the middle of the backlog.
    receiver.delayMs = 15;
    const created = await request(api).post('/api/v1/webhooks').set({ Authorization: `Bearer ${key}` }).send({ url: receiver.url, events: ['dnc.added'] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const endpointId: string = created.body.id;
    const secret: string = created.body.secret;
    const tenantId = String((await database.db.selectFrom('webhook_endpoints').select('tenant_id').executeTakeFirstOrThrow()).tenant_id);

    // 500 facts in the log at once, in ten appends: the outbox queues them within a batch or two.
    const sourceIds: string[] = [];
    const now = new Date().toISOString();
    for (let chunk = 0; chunk < 10; chunk++) {
      const events = Array.from({ length: EVENTS / 10 }, (_, i) => {
        const n = chunk * (EVENTS / 10) + i;
        const eventId = crypto.randomUUID();
        sourceIds.push(eventId);
        return {
          type: 'DncEntryAdded',
          data: { phone: `+9230077${String(n).padStart(5, '0')}`, scope: 'tenant', reason: null, source: 'api', callId: null, addedAt: now },
          metadata: { eventId, correlationId: 'crash-test', causationId: 'crash-test', tenantId, actor: 'system:test', occurredAt: now, schemaVersion: 1 },
        };
      });
      await store.append(dncStream(tenantId), events, 'any');
    }
    const expected = sourceIds.map((id) => payloadIdOf(id, endpointId));

    const counts = async () => {
      const all = await database.db.selectFrom('webhook_deliveries').select(['status']).execute();
      return { queued: all.length, delivered: all.filter((row) => row.status === 'delivered').length };
    };
    await poll('500 queued, a few sent', async () => {
      const now = await counts();
      return now.queued === EVENTS && now.delivered >= 20 && now.delivered < EVENTS - 100;
    }, 30_000);
    await engine.kill();
    const atKill = await counts();
    const receivedAtKill = receiver.received.length;
    expect(atKill.queued - atKill.delivered).toBeGreaterThan(100);

    await engine.start();
    await poll('every delivery delivered after the restart', async () => (await counts()).delivered === EVENTS, 60_000);

    const receivedIds = receiver.received.map((entry) => entry.json.id as string);
    // At least once: every event reached the receiver.
    expect(new Set(receivedIds)).toEqual(new Set(expected));
    // Nothing marked delivered that the receiver did not get.
    const delivered = await database.db.selectFrom('webhook_deliveries').select(['event_id', 'status']).execute();
    const got = new Set(receivedIds);
    expect(delivered.filter((row) => row.status !== 'delivered' || !got.has(row.event_id as string))).toEqual([]);
    // A duplicate is the same delivery again: same id, same body, a valid signature.
    const bodies = new Map<string, string>();
    for (const entry of receiver.received) {
      const seen = bodies.get(entry.json.id);
      if (seen !== undefined) expect(entry.body).toBe(seen);
      bodies.set(entry.json.id, entry.body);
      expect(verifyWebhook(entry.body, entry.headers['calltrail-signature'] as string, secret).ok).toBe(true);
    }
    // The sequence counts 1..500 exactly once per event.
    expect([...bodies.values()].map((body) => JSON.parse(body).sequence).sort((x, y) => x - y)).toEqual(Array.from({ length: EVENTS }, (_, i) => i + 1));
    console.log(`webhook crash: killed with ${atKill.queued - atKill.delivered} pending (${receivedAtKill} received); ${receiver.received.length - EVENTS} duplicates after the restart`);
  }, 180_000);
});
