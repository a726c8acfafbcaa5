/**
 * `calltrail init` on a fresh store, then the engine started on that store with no
 * OPERATOR_API_KEY_HASH: the printed operator key works on operator routes, the printed tenant key
 * places a call, and wrong keys get 401. Runs in-process on every backend (the CLI first, then the
 * engine, as PGlite allows one process at a time), and once as the real bin on a fresh PostgreSQL
 * database of its own.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/adapters/db/database.ts';
import type { EventStore } from '../../src/adapters/eventstore/port.ts';
import { createPostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import { generateOperatorKey } from '../../src/app/authenticate.ts';
import type { Engine } from '../../src/app/engine.ts';
import { runCliOn } from '../audit/support/cli.ts';
import { testDatabases } from '../support/databases.ts';
import { startTestEngine, waitForCall, type RunningEngine } from '../e2e/support/engine.ts';

type InitJson = {
  operator_key: { key_id: string; key: string; prefix: string; revoked_key_ids: string[] };
  tenant: { status: 'created' | 'exists'; account_id: string; name: string; api_key?: { key: string }; owner?: { email: string; password: string; password_generated: boolean } } | null;
  log_position: string | null;
};

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function readModelsAt(engine: Engine, position: string | null): Promise<void> {
  if (!position) return;
  const [commit, prepare] = position.split(':').map((part) => BigInt(part));
  await engine.waitForProjections({ commit: commit!, prepare: prepare! });
}

/** What the operator does next with the printed keys: price and fund the tenant, then place a call. */
async function placeFirstCall(engine: Engine, init: InitJson): Promise<void> {
  const app = engine.app;
  const op = bearer(init.operator_key.key);
  const accountId = init.tenant!.account_id;
  const plan = await request(app)
    .post('/api/v1/rate-plans')
    .set(op)
    .send({ name: 'first plan', currency: 'PKR', rates: [{ prefix: '+92', rate_per_minute_minor: 200, billing_increment: '60/60' }] });
  expect(plan.status, JSON.stringify(plan.body)).toBe(201);
  expect((await request(app).put(`/api/v1/accounts/${accountId}/rate-plan`).set(op).send({ plan_id: plan.body.id })).status).toBe(200);
  const top = await request(app).post('/api/v1/credits/purchase').set(op).send({ account_id: accountId, amount_minor: 100_000, reference: 'opening' });
  expect(top.status, JSON.stringify(top.body)).toBe(201);

  const tenantKey = init.tenant!.api_key!.key;
  const call = await request(app).post('/api/v1/calls').set(bearer(tenantKey)).send({ phone_number: '03001234567' });
  expect(call.status, JSON.stringify(call.body)).toBe(201);
  await waitForCall(engine, tenantKey, call.body.id, (body) => body.status === 'COMPLETED');
}

async function expectRefused(engine: Engine, token: string): Promise<void> {
  const onFrontDoor = await request(engine.app).get('/api/v1/accounts').set(bearer(token));
  expect(onFrontDoor.status).toBe(401);
  expect(onFrontDoor.body.error.code).toBe('UNAUTHORIZED');
  const onBilling = await request(engine.app).get('/api/v1/rate-plans').set(bearer(token));
  expect(onBilling.status).toBe(401);
}

for (const backend of testDatabases()) {
  describe(`calltrail init, in-process, on ${backend.name}`, () => {
    let running: RunningEngine;
    let store: EventStore;
    let first: InitJson;

    beforeAll(async () => {
      const database = await backend.open();
      store = await createPostgresEventStore(database);
      const init = await runCliOn(database, store, 'init', '--tenant-name', 'Acme Dialling', '--owner-email', 'Owner@Acme.example', '--json');
      expect(init.code, init.err).toBe(0);
      expect(init.err).toBe('');
      first = JSON.parse(init.out) as InitJson;
      // The engine is started after the CLI has finished, with no OPERATOR_API_KEY_HASH at all.
      running = await startTestEngine(database, { eventStore: store });
      await readModelsAt(running.engine, first.log_position);
    }, 60_000);

    afterAll(async () => {
      await running?.close();
    });

    it('prints an operator key, a tenant key and a generated owner password, each once', () => {
      expect(first.operator_key.key).toMatch(/^ct_op_[A-Za-z0-9]{40}$/);
      expect(first.operator_key.revoked_key_ids).toEqual([]);
      expect(first.tenant).toMatchObject({ status: 'created', name: 'Acme Dialling', owner: { email: 'owner@acme.example', password_generated: true } });
      expect(first.tenant!.api_key!.key).toMatch(/^ct_live_/);
      expect(first.tenant!.owner!.password.length).toBeGreaterThanOrEqual(10);
    });

    it('the printed keys work with no env change: operator routes answer 2xx and a call placed with the tenant key completes', async () => {
      const accounts = await request(running.engine.app).get('/api/v1/accounts').set(bearer(first.operator_key.key));
      expect(accounts.status).toBe(200);
      expect(accounts.body.data.map((account: { name: string }) => account.name)).toContain('Acme Dialling');
      await placeFirstCall(running.engine, first);
      const login = await request(running.engine.app).post('/api/v1/auth/login').send({ email: 'owner@acme.example', password: first.tenant!.owner!.password });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
    }, 30_000);

    it('a wrong operator key and a wrong tenant key answer 401', async () => {
      await expectRefused(running.engine, generateOperatorKey().secret);
      const wrongTenant = await request(running.engine.app).post('/api/v1/calls').set(bearer(`ct_live_${'x'.repeat(40)}`)).send({ phone_number: '03001234567' });
      expect(wrongTenant.status).toBe(401);
    });

    it('running init again is refused with exit 1 and writes nothing; --rotate replaces the key at once, while the engine runs', async () => {
      const database = running.engine.database;
      const before = (await store.readStream('operator-keys')).length;
      const again = await runCliOn(database, store, 'init');
      expect(again.code).toBe(1);
      expect(again.out).toBe('');
      expect(again.err).toContain('an operator key is already in force');
      expect(again.err).toContain('--rotate');
      expect((await store.readStream('operator-keys')).length).toBe(before);

      const rotated = await runCliOn(database, store, 'operator', 'create-key', '--rotate', '--json');
      expect(rotated.code, rotated.err).toBe(0);
      const second = JSON.parse(rotated.out) as InitJson;
      expect(second.operator_key.revoked_key_ids).toEqual([first.operator_key.key_id]);
      await expectRefused(running.engine, first.operator_key.key);
      expect((await request(running.engine.app).get('/api/v1/rate-plans').set(bearer(second.operator_key.key))).status).toBe(200);
    });

    it('the same tenant and owner again is reported, not duplicated; the name with another owner is refused', async () => {
      const database = running.engine.database;
      const same = await runCliOn(database, store, 'init', '--rotate', '--tenant-name', 'Acme Dialling', '--owner-email', 'owner@acme.example');
      expect(same.code, same.err).toBe(0);
      expect(same.out).toContain(`Tenant "Acme Dialling" already exists (account ${first.tenant!.account_id}`);
      expect(same.out).not.toContain('ct_live_');

      const other = await runCliOn(database, store, 'init', '--rotate', '--tenant-name', 'Acme Dialling', '--owner-email', 'someone@else.example');
      expect(other.code).toBe(1);
      expect(other.err).toContain('already exists');
      const opened = (await store.readAll({ maxCount: 10_000 })).filter((event) => event.type === 'AccountOpened' && (event.data as { name: string }).name === 'Acme Dialling');
      expect(opened).toHaveLength(1);
    });

    it('bad input is exit 2 before anything is written', async () => {
      const database = running.engine.database;
      const before = (await store.readAll({ maxCount: 10_000 })).length;
      expect((await runCliOn(database, store, 'init', '--owner-email', 'a@b.example')).code).toBe(2);
      expect((await runCliOn(database, store, 'init', '--rotate', '--tenant-name', 'T', '--owner-email', 'not-an-email')).code).toBe(2);
      expect((await runCliOn(database, store, 'init', '--rotate', '--tenant-name', 'T', '--owner-email', 'a@b.example', '--owner-password', 'short')).code).toBe(2);
      expect((await store.readAll({ maxCount: 10_000 })).length).toBe(before);
    });
  });
}

const url = process.env.TEST_DATABASE_URL;
const run = promisify(execFile);

async function admin(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

describe.skipIf(!url)('calltrail init, the real bin, on a fresh PostgreSQL database', () => {
  if (!url) console.log('real-bin init test skipped: TEST_DATABASE_URL is not set');
  const name = `calltrail_init_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string;
  let running: RunningEngine | undefined;

  beforeAll(async () => {
    await admin(`create database ${name}`);
    const parsed = new URL(url!);
    parsed.pathname = `/${name}`;
    databaseUrl = parsed.toString();
  });

  afterAll(async () => {
    await running?.close();
    await admin(`drop database if exists ${name} with (force)`);
  });

  it('npx tsx src/cli/main.ts init prints keys that place a call on the engine started afterwards', async () => {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', 'init', '--tenant-name', 'First Tenant', '--owner-email', 'ops@first.example'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PASSWORD_SCRYPT_LOG2N: '12' },
    });
    expect(stderr).toBe('');
    // Parsed from the human output, as an operator reads it.
    const operatorKey = /Operator key \(shown once; only its hash is stored\): (ct_op_\S+)/.exec(stdout)?.[1];
    const accountId = /Tenant "First Tenant" opened: account (\S+)/.exec(stdout)?.[1];
    const tenantKey = /API key \(owner, live; shown once\): (ct_live_\S+)/.exec(stdout)?.[1];
    expect(operatorKey && accountId && tenantKey, stdout).toBeTruthy();

    running = await startTestEngine(await openDatabase({ url: databaseUrl }));
    const init: InitJson = {
      operator_key: { key_id: '', key: operatorKey!, prefix: '', revoked_key_ids: [] },
      tenant: { status: 'created', account_id: accountId!, name: 'First Tenant', api_key: { key: tenantKey! } },
      log_position: null,
    };
    // No position printed here: wait on the read model for the tenant's key instead.
    const deadline = Date.now() + 10_000;
    while ((await running.engine.accountQueries.account(accountId!)) === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await placeFirstCall(running.engine, init);
    await expectRefused(running.engine, generateOperatorKey().secret);
  }, 90_000);
});
