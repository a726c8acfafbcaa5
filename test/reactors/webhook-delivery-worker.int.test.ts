import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/database.ts';
import type { WebhookRequest, WebhookResponse, WebhookSender } from '../../src/adapters/webhooks/http-sender.ts';
import { SecretBox } from '../../src/adapters/webhooks/secret-box.ts';
import { systemClock } from '../../src/domain/shared/clock.ts';
import { WebhookDeliveryWorker, type DeliverySettings } from '../../src/reactors/webhooks/delivery-worker.ts';
import { ATTEMPTS, DELIVERIES, ENDPOINTS, migrateWebhookTables } from '../../src/reactors/webhooks/tables.ts';
import { poll } from '../support/poll.ts';

/** The delivery worker alone, on PGlite, with a scripted sender instead of the network. */

const settings: DeliverySettings = {
  pollMs: 10,
  perEndpointConcurrency: 1,
  maxParallelEndpoints: 4,
  retryWindowMs: 60_000,
  backoffInitialMs: 5,
  backoffMaxMs: 20,
  disableAfterFailures: 1000,
  leaseMs: 5_000,
};

class ScriptedSender implements WebhookSender {
  readonly requests: WebhookRequest[] = [];
  constructor(private readonly status: (index: number) => number) {}
  async send(request: WebhookRequest): Promise<WebhookResponse> {
    const status = this.status(this.requests.push(request) - 1);
    return { result: { kind: 'response', status }, latencyMs: 1, error: status >= 300 ? `HTTP ${status}` : null, responseExcerpt: null };
  }
  close(): void {}
}

const sealer = SecretBox.fromText('c'.repeat(64));

describe('the webhook delivery worker', () => {
  let database: Database;
  let worker: WebhookDeliveryWorker | null = null;

  beforeEach(async () => {
    database = await openDatabase({});
    await migrateWebhookTables(database.db);
    const now = new Date().toISOString();
    await database.db
      .insertInto(ENDPOINTS)
      .values({ endpoint_id: 'w-1', tenant_id: 't-1', url: 'http://receiver.test/hook', events: '["*"]', enabled: true, secrets: JSON.stringify([{ sealed: sealer.seal('whsec_one'), validUntil: null }]), last_revision: '0', created_at: now, updated_at: now })
      .execute();
    const rows = [1, 2, 3].map((n) => ({
      delivery_id: `d-${n}`,
      endpoint_id: 'w-1',
      tenant_id: 't-1',
      event_id: `evt_${n}`,
      event_type: 'dnc.added',
      sequence: String(n),
      body: `{"sequence":${n}}`,
      origin: 'log',
      status: 'pending',
      next_attempt_at: now,
      enqueued_at: now,
      event_created_at: now,
    }));
    await database.db.insertInto(DELIVERIES).values(rows).execute();
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
    await database.close();
  });

  const start = (sender: WebhookSender, box: SecretBox, overrides: Partial<DeliverySettings> = {}) => {
    worker = new WebhookDeliveryWorker(database.db, { settings: { ...settings, ...overrides }, sender, secrets: box, clock: systemClock, disable: async () => {}, logger: { error: () => {} } });
    worker.start();
    return worker;
  };
  const statuses = async () => (await database.db.selectFrom(DELIVERIES).select(['delivery_id', 'status']).orderBy('delivery_id').execute()).map((row) => row.status);

  it('sends in sequence order, and a failing head holds back the ones behind it until it succeeds', async () => {
    const sender = new ScriptedSender((index) => (index < 2 ? 503 : 200));
    start(sender, sealer);
    await poll('all delivered', async () => (await statuses()).every((status) => status === 'delivered'));
    expect(sender.requests.map((request) => request.body)).toEqual(['{"sequence":1}', '{"sequence":1}', '{"sequence":1}', '{"sequence":2}', '{"sequence":3}']);
    expect(sender.requests[0]!.headers['Calltrail-Event-Id']).toBe('evt_1');
  });

  it('marks a delivery failed once its retries would pass the retry window', async () => {
    const sender = new ScriptedSender(() => 500);
    start(sender, sealer, { retryWindowMs: 30 });
    await poll('the head given up', async () => (await statuses())[0] === 'failed');
    const attempts = await database.db.selectFrom(ATTEMPTS).selectAll().where('delivery_id', '=', 'd-1').orderBy('attempt').execute();
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts.at(-1)!.next_retry_at).toBeNull();
  });

  it('does not send at all when the secret cannot be opened with this key, and says why', async () => {
    const sender = new ScriptedSender(() => 200);
    start(sender, SecretBox.fromText('d'.repeat(64)));
    const attempt = await poll('a recorded attempt', async () => database.db.selectFrom(ATTEMPTS).selectAll().where('delivery_id', '=', 'd-1').executeTakeFirst());
    expect(attempt.error).toMatch(/WEBHOOK_SECRET_KEY/);
    expect(sender.requests).toHaveLength(0);
  });

  it('computes retry delays with cockatiel: positive and never above the cap', () => {
    const made = new WebhookDeliveryWorker(database.db, { settings: { ...settings, backoffInitialMs: 1000, backoffMaxMs: 60_000 }, sender: new ScriptedSender(() => 200), secrets: sealer, clock: systemClock, disable: async () => {} });
    const delays = Array.from({ length: 20 }, (_, i) => made.retryDelayMs(i + 1));
    expect(delays.every((delay) => delay > 0 && delay <= 60_000)).toBe(true);
    expect(Math.max(...delays.slice(10))).toBeGreaterThan(Math.max(...delays.slice(0, 1)));
  });
});
