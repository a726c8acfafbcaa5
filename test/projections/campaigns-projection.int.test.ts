import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWholeLog } from '../support/whole-log.ts';
import type { Database } from '../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import {
  callIdForAttempt,
  campaignDecider,
  campaignStatistics,
  contactBucket,
  type CampaignCommand,
  type CampaignSettings,
  type CampaignState,
  type ContactToEnroll,
  type ExistingCampaign,
} from '../../src/domain/campaign/index.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import type { GlobalPosition } from '../../src/domain/shared/messages.ts';
import { campaignStream } from '../../src/domain/shared/streams.ts';
import { accountsProjection } from '../../src/projections/accounts/projection.ts';
import { campaignsProjection } from '../../src/projections/campaigns/projection.ts';
import { CampaignQueries } from '../../src/projections/campaigns/queries.ts';
import type { CampaignContactRecord } from '../../src/projections/campaigns/types.ts';
import { tableChecksum } from '../../src/projections/checksum.ts';
import { currentSchema } from '../../src/projections/replay/fresh-schema.ts';
import { ProjectionRunner } from '../../src/projections/runner.ts';
import { settingsWith } from '../domain/campaign/fixtures.ts';
import { testDatabases } from '../support/databases.ts';

const t0 = '2026-03-02T05:00:00.000Z'; // 10:00 in Karachi
const plus = (seconds: number) => new Date(Date.parse(t0) + seconds * 1000).toISOString();
const TABLES = ['campaigns', 'campaign_contacts'];

/** One campaign driven through its decider, each decision appended to its stream as the command handler would. */
class Campaign {
  state: CampaignState = campaignDecider.initialState();
  private revision: bigint | 'no_stream' = 'no_stream';
  last!: GlobalPosition;

  constructor(
    private readonly store: PostgresEventStore,
    readonly campaignId: string,
    readonly tenantId: string,
  ) {}

  async create(settings: CampaignSettings, autoStart = true) {
    await this.send({ type: 'CreateCampaign', data: { campaignId: this.campaignId, tenantId: this.tenantId, settings, autoStart, at: t0 } });
  }
  enroll = (chunk: number, contacts: ContactToEnroll[]) => this.send({ type: 'EnrollContacts', data: { campaignId: this.campaignId, chunk, contacts, at: t0 } });
  close = () => this.send({ type: 'CloseEnrollment', data: { campaignId: this.campaignId, at: t0 } });
  claim = (at: string, max = 1000) => this.send({ type: 'ClaimAttempts', data: { campaignId: this.campaignId, max, at } });
  callId = (contactId: string, attempt: number) => callIdForAttempt(this.campaignId, contactId, attempt);
  end = (contactId: string, attempt: number, outcome: 'COMPLETED' | 'BUSY' | 'NO_ANSWER' | 'REJECTED', endedAt: string, billableSeconds = 0) =>
    this.send({ type: 'RecordAttemptEnded', data: { campaignId: this.campaignId, contactId, attempt, callId: this.callId(contactId, attempt), outcome, billableSeconds, endedAt } });
  charge = (contactId: string, attempt: number, amountMinor: number) =>
    this.send({ type: 'RecordAttemptCharged', data: { campaignId: this.campaignId, contactId, attempt, callId: this.callId(contactId, attempt), cost: { amountMinor, currency: 'PKR' } } });
  refuse = (contactId: string, attempt: number, reason: 'insufficient_balance' | 'dnc', at: string) =>
    this.send({ type: 'RefuseAttempt', data: { campaignId: this.campaignId, contactId, attempt, callId: this.callId(contactId, attempt), reason, at } });
  lifecycle = (type: 'PauseCampaign' | 'ResumeCampaign' | 'CancelCampaign', at: string) => this.send({ type, data: { campaignId: this.campaignId, at } } as CampaignCommand);

  async send(command: CampaignCommand): Promise<void> {
    const events = campaignDecider.decide(command, this.state);
    if (events.length === 0) return;
    this.state = events.reduce(campaignDecider.evolve, this.state);
    const metadata = { correlationId: `corr-${this.campaignId}`, causationId: randomUUID(), tenantId: this.tenantId, actor: 'system:test', occurredAt: t0, schemaVersion: 1 };
    const result = await this.store.append(
      campaignStream(this.campaignId),
      events.map((event) => ({ ...event, metadata: { ...metadata, eventId: randomUUID() } })),
      this.revision,
    );
    this.revision = result.nextExpectedRevision;
    this.last = result.position;
  }

  get existing(): ExistingCampaign {
    return this.state as ExistingCampaign;
  }
}

const person = (n: number, overrides: Partial<ContactToEnroll> = {}): ContactToEnroll => ({
  contactId: `c${n}`,
  phone: `+92300${String(n).padStart(7, '0')}`,
  zones: ['Asia/Karachi'],
  zoneSource: 'number',
  ...overrides,
});

/**
 * c1 answered and charged; c2 busy, retried, then answered and charged; c3 no answer twice; c4
 * rejected; c5 still in flight; c6 an invalid number; c7 busy, retry scheduled; c8 released for want
 * of balance (the campaign pauses); c9 a number already enrolled; c10 refused as do-not-call mid
 * attempt; and c2 listed a second time (a duplicate entry, not a contact).
 */
async function mixedCampaign(store: PostgresEventStore, campaignId = 'camp-mixed', tenantId = 'tenant-a'): Promise<Campaign> {
  const campaign = new Campaign(store, campaignId, tenantId);
  await campaign.create(settingsWith({ concurrentLimit: 10, maxAttempts: 2, retryDelayMinutes: 60, audioId: 'audio-promo' }));
  await campaign.enroll(0, [person(1), person(2), person(3), person(4), person(5), person(6, { phone: 'nope' }), person(7), person(9, { phone: person(1).phone })]);
  await campaign.enroll(1, [person(2), person(8), person(10)]);
  await campaign.close();
  await campaign.claim(t0, 5);
  await campaign.end('c1', 1, 'COMPLETED', plus(40), 30);
  await campaign.charge('c1', 1, 250);
  await campaign.end('c2', 1, 'BUSY', plus(20));
  await campaign.end('c3', 1, 'NO_ANSWER', plus(30));
  await campaign.end('c4', 1, 'REJECTED', plus(25));
  await campaign.claim(plus(3700));
  await campaign.end('c2', 2, 'COMPLETED', plus(3750), 12);
  await campaign.charge('c2', 2, 100);
  await campaign.end('c3', 2, 'NO_ANSWER', plus(3760));
  await campaign.end('c7', 1, 'BUSY', plus(3710));
  await campaign.refuse('c10', 1, 'dnc', plus(3701));
  await campaign.refuse('c8', 1, 'insufficient_balance', plus(3702));
  return campaign;
}

function expectedContacts(state: ExistingCampaign): CampaignContactRecord[] {
  return [...state.roster.contacts].map((contact) => ({
    contactId: contact.contactId,
    phone: contact.phone,
    state: contactBucket(contact),
    skipReason: contact.status === 'skipped' ? contact.reason : null,
    outcome: contact.status === 'done' ? contact.outcome : null,
    retryAt: contact.status === 'retry_scheduled' ? new Date(contact.retryAt).toISOString() : null,
    attempts: contact.attempts.map((record) => ({
      attempt: record.attempt,
      callId: record.callId,
      startedAt: record.startedAt,
      outcome: record.ended?.outcome ?? null,
      billableSeconds: record.ended?.billableSeconds ?? null,
      endedAt: record.ended?.endedAt ?? null,
      cost: record.cost,
    })),
  }));
}


for (const backend of testDatabases()) {
  describe(`campaigns projection on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let clock: ManualClock;
    let queries: CampaignQueries;
    let runners: ProjectionRunner[];

    const project = async (last: GlobalPosition, batchSize = 7) => {
      const runner = new ProjectionRunner(database.db, store, campaignsProjection, { batchSize, liveBatchMs: 2 });
      runners.push(runner);
      await runner.start();
      await runner.waitFor(last);
      return runner;
    };
    const checksums = async () => {
      const schema = await currentSchema(database.db);
      return Promise.all(TABLES.map((table) => tableChecksum(database.db, schema, table)));
    };

    beforeEach(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      await accountsProjection.migrate(database.db);
      clock = new ManualClock(plus(3800));
      queries = new CampaignQueries(database.db, clock);
      runners = [];
    });

    afterEach(async () => {
      for (const runner of runners) await runner.stop();
      await store.close();
      await database.close();
    });

    it('given a mixed campaign, its rows and statistics are those of the folded state', async () => {
      const campaign = await mixedCampaign(store);
      await project(campaign.last);

      const record = await queries.get('tenant-a', 'camp-mixed');
      expect(record).toMatchObject({
        campaignId: 'camp-mixed',
        tenantId: 'tenant-a',
        name: 'March Promotion',
        status: 'paused',
        pauseReason: 'insufficient_balance',
        pausedAt: plus(3702),
        startedAt: t0,
        enrollmentClosed: true,
        completedAt: null,
      });
      const expected = campaignStatistics(campaign.existing, { now: clock.now(), currency: 'PKR' });
      expect(record!.statistics).toEqual(expected);
      // The scenario really has every case in it.
      expect(expected.totals).toEqual({
        contacts: 10,
        pending: 1,
        inProgress: 1,
        retryScheduled: 1,
        completed: 2,
        busy: 0,
        noAnswer: 1,
        failed: 1,
        skipped: { total: 4, byReason: { invalid_number: 1, dnc: 1, duplicate: 2, unpriced_destination: 0 } },
      });
      expect(expected.spent).toEqual({ amountMinor: 350, currency: 'PKR' });
      expect(expected.attempts).toBe(8);
      expect(expected.inFlight).toBe(1);
      expect(expected.eta).not.toBeNull();

      const contacts = await queries.contacts('tenant-a', 'camp-mixed', { page: 1, perPage: 100 });
      expect(contacts).toEqual({ rows: expectedContacts(campaign.existing), total: 10 });
    });

    it('filters contacts by state and pages them in enrollment order', async () => {
      const campaign = await mixedCampaign(store);
      await project(campaign.last);

      const skipped = await queries.contacts('tenant-a', 'camp-mixed', { page: 1, perPage: 10, state: 'skipped' });
      expect(skipped?.total).toBe(3);
      expect(skipped?.rows.map((row) => [row.contactId, row.skipReason])).toEqual([['c6', 'invalid_number'], ['c9', 'duplicate'], ['c10', 'dnc']]);
      const completed = await queries.contacts('tenant-a', 'camp-mixed', { page: 1, perPage: 10, state: 'completed' });
      expect(completed?.rows.map((row) => [row.contactId, row.attempts.map((attempt) => attempt.outcome)])).toEqual([['c1', ['COMPLETED']], ['c2', ['BUSY', 'COMPLETED']]]);
      const inFlight = await queries.contacts('tenant-a', 'camp-mixed', { page: 1, perPage: 10, state: 'inProgress' });
      expect(inFlight?.rows.map((row) => row.contactId)).toEqual(['c5']);
      const secondPage = await queries.contacts('tenant-a', 'camp-mixed', { page: 2, perPage: 3 });
      expect(secondPage).toMatchObject({ total: 10 });
      expect(secondPage?.rows.map((row) => row.contactId)).toEqual(['c4', 'c5', 'c7']);
    });

    it('keeps tenants apart, lists newest first, and answers active() and playing()', async () => {
      const mixed = await mixedCampaign(store);
      const other = new Campaign(store, 'camp-other-tenant', 'tenant-b');
      await other.create(settingsWith({ audioId: 'audio-promo' }));
      const draft = new Campaign(store, 'camp-draft', 'tenant-a');
      await draft.create(settingsWith({ audioId: 'audio-promo' }), false);
      const running = new Campaign(store, 'camp-running', 'tenant-a');
      await running.create(settingsWith({ audioId: 'audio-promo', name: 'Second' }));
      const cancelled = new Campaign(store, 'camp-cancelled', 'tenant-a');
      await cancelled.create(settingsWith({ audioId: 'audio-promo' }));
      await cancelled.lifecycle('CancelCampaign', plus(10));
      await project(cancelled.last);

      expect(await queries.get('tenant-b', 'camp-mixed')).toBeNull();
      expect(await queries.contacts('tenant-b', 'camp-mixed', { page: 1, perPage: 10 })).toBeNull();
      expect(await queries.get('tenant-a', 'camp-other-tenant')).toBeNull();
      expect(await queries.get('tenant-a', 'no-such-campaign')).toBeNull();

      const listed = await queries.list('tenant-a', { page: 1, perPage: 10 });
      expect(listed.total).toBe(4);
      // Same creation instant: the id breaks the tie, descending.
      expect(listed.rows.map((row) => row.campaignId)).toEqual(['camp-running', 'camp-mixed', 'camp-draft', 'camp-cancelled']);
      expect(listed.rows.find((row) => row.campaignId === 'camp-mixed')!.statistics).toEqual(campaignStatistics(mixed.existing, { now: clock.now(), currency: 'PKR' }));
      const onlyRunning = await queries.list('tenant-a', { page: 1, perPage: 10, status: 'running' });
      expect(onlyRunning).toMatchObject({ total: 1, rows: [{ campaignId: 'camp-running', name: 'Second' }] });

      expect((await queries.active()).sort((a, b) => a.campaignId.localeCompare(b.campaignId))).toEqual([
        { campaignId: 'camp-mixed', tenantId: 'tenant-a', status: 'paused' },
        { campaignId: 'camp-other-tenant', tenantId: 'tenant-b', status: 'running' },
        { campaignId: 'camp-running', tenantId: 'tenant-a', status: 'running' },
      ]);
      expect((await queries.playing('tenant-a', 'audio-promo')).sort()).toEqual(['camp-mixed', 'camp-running']);
      expect(await queries.playing('tenant-a', 'audio-other')).toEqual([]);
      expect(await queries.playing('tenant-b', 'audio-promo')).toEqual(['camp-other-tenant']);
    });

    it('records the lifecycle: scheduled, completed by its last contact, cancelled', async () => {
      const scheduled = new Campaign(store, 'camp-scheduled', 'tenant-a');
      await scheduled.create(settingsWith({ schedule: { startAt: plus(86_400) } }));
      const done = new Campaign(store, 'camp-done', 'tenant-a');
      await done.create(settingsWith());
      await done.enroll(0, [person(1)]);
      await done.close();
      await done.claim(plus(1));
      await done.end('c1', 1, 'COMPLETED', plus(50), 40);
      const cancelled = new Campaign(store, 'camp-gone', 'tenant-a');
      await cancelled.create(settingsWith());
      await cancelled.lifecycle('PauseCampaign', plus(5));
      await cancelled.lifecycle('CancelCampaign', plus(9));
      await project(cancelled.last);

      expect(await queries.get('tenant-a', 'camp-scheduled')).toMatchObject({ status: 'scheduled', scheduledFor: plus(86_400), startedAt: null });
      const finished = await queries.get('tenant-a', 'camp-done');
      expect(finished).toMatchObject({ status: 'completed', startedAt: t0, completedAt: plus(50), pausedAt: null, pauseReason: null });
      expect(finished!.statistics).toEqual(campaignStatistics(done.existing, { now: clock.now(), currency: 'USD' }));
      expect(finished!.statistics.eta).toBeNull();
      expect(await queries.get('tenant-a', 'camp-gone')).toMatchObject({ status: 'cancelled', cancelledAt: plus(9), startedAt: t0, pausedAt: null, pauseReason: null });
      expect((await queries.active()).map((row) => row.campaignId)).toEqual(['camp-scheduled']);
    });

    it('counts spent in the account currency before any charge, else USD', async () => {
      await database.db
        .insertInto('accounts')
        .values({ account_id: 'tenant-a', name: 'A', default_country: 'PK', currency: 'PKR', time_zone: 'Asia/Karachi', opened_at: t0, last_revision: 0 })
        .execute();
      const withAccount = new Campaign(store, 'camp-a', 'tenant-a');
      await withAccount.create(settingsWith());
      const withoutAccount = new Campaign(store, 'camp-b', 'tenant-b');
      await withoutAccount.create(settingsWith());
      await project(withoutAccount.last);

      expect((await queries.get('tenant-a', 'camp-a'))!.statistics.spent).toEqual({ amountMinor: 0, currency: 'PKR' });
      expect((await queries.get('tenant-b', 'camp-b'))!.statistics.spent).toEqual({ amountMinor: 0, currency: 'USD' });
      expect((await queries.get('tenant-b', 'camp-b'))!.statistics).toEqual(campaignStatistics(withoutAccount.existing, { now: clock.now(), currency: 'USD' }));
    });

    it('rebuilding from the log, in batches of any size, gives identical rows', async () => {
      const campaign = await mixedCampaign(store);
      const second = new Campaign(store, 'camp-second', 'tenant-a');
      await second.create(settingsWith());
      await second.enroll(0, [person(1), person(2)]);
      await second.claim(t0);
      const first = await project(second.last, 5);
      const before = await checksums();
      expect(before.map((sum) => sum.rows)).toEqual([2, 12]);

      await database.db.updateTable('campaign_contacts').set({ bucket: 'CORRUPTED' }).execute();
      await first.rebuild();
      await first.waitFor(second.last);
      expect(await checksums()).toEqual(before);

      await first.stop();
      await database.db.transaction().execute((trx) => campaignsProjection.reset(trx));
      await database.db.deleteFrom('checkpoints').execute();
      await project(second.last, 1);
      expect(await checksums()).toEqual(before);
    });

    it('applying an already-applied batch again changes nothing', async () => {
      const campaign = await mixedCampaign(store);
      await campaignsProjection.migrate(database.db);
      const events = await readWholeLog(store);
      await database.db.transaction().execute((trx) => campaignsProjection.apply(trx, events));
      const once = await checksums();
      const statistics = (await queries.get('tenant-a', 'camp-mixed'))!.statistics;

      // c8's claim, folded again on its own, would put the released contact back in flight.
      for (const redelivered of [events.filter((event) => event.type === 'ContactAttemptStarted'), events.slice(3, 20), events]) {
        await database.db.transaction().execute((trx) => campaignsProjection.apply(trx, redelivered));
        expect(await checksums()).toEqual(once);
      }
      expect((await queries.get('tenant-a', 'camp-mixed'))!.statistics).toEqual(statistics);
      expect(statistics).toEqual(campaignStatistics(campaign.existing, { now: clock.now(), currency: 'PKR' }));
    });

    it('takes a 10,000-contact campaign in chunks and follows its attempts', async () => {
      const campaign = new Campaign(store, 'camp-big', 'tenant-a');
      await campaign.create(settingsWith({ concurrentLimit: 500, maxAttempts: 2 }));
      for (let chunk = 0; chunk < 10; chunk++) {
        await campaign.enroll(chunk, Array.from({ length: 1000 }, (_, i) => person(chunk * 1000 + i + 1)));
      }
      await campaign.close();
      await campaign.claim(t0, 500);
      for (let n = 1; n <= 300; n++) await campaign.end(`c${n}`, 1, n % 3 === 0 ? 'BUSY' : 'COMPLETED', plus(30 + (n % 7)), 20);
      await project(campaign.last, 500);

      const record = await queries.get('tenant-a', 'camp-big');
      expect(record!.statistics).toEqual(campaignStatistics(campaign.existing, { now: clock.now(), currency: 'USD' }));
      expect(record!.statistics.totals).toMatchObject({ contacts: 10_000, completed: 200, retryScheduled: 100, inProgress: 200, pending: 9_500 });
      const last = await queries.contacts('tenant-a', 'camp-big', { page: 100, perPage: 100 });
      expect(last?.rows.at(-1)?.contactId).toBe('c10000');
    });
  });
}
