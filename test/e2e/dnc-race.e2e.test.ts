import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplianceService } from '../../src/commands/audit/compliance-service.ts';
import { createPostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import type { AppendResult, EventStore, ExpectedRevision } from '../../src/adapters/eventstore/port.ts';
import { comparePositions, type EventToAppend } from '../../src/domain/shared/messages.ts';
import { callStream, campaignStream, categoryOf, dncStream, idOf } from '../../src/domain/shared/streams.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { bearer, CAMPAIGN_ENV, uploadReadyAudio } from './campaigns/support.ts';
import { startTestEngine, type RunningEngine } from './support/engine.ts';

/**
 * The race between "add this number to the do-not-call list" and "the campaign dialer claims the
 * contact with this number", 200 rounds on each backend (on Postgres the add and the dialer run on
 * separate pool connections, so they really overlap). Each round is one campaign of one contact,
 * started while its number is listed: at the same moment (two HTTP requests in flight together),
 * or committed by the test's store right after the claim is appended, right before the call's
 * CallDialing is, right after it (before the dialer goes on to its check and originate), or once
 * the PBX reported on the call. So each gap of the pipeline is hit on purpose, not by luck of timing.
 *
 * Every round must end one of two ways, read from the log alone:
 * - not dialled: the contact skipped with reason `dnc` (at placement, or after the dialer's
 *   CallBlocked), the call never reaching the PBX;
 * - dialled: and then its CallDialing (and the claim before it) is ordered before the
 *   DncEntryAdded: the listing came too late for that call.
 * A dialled call whose CallDialing comes after the listing is a violation; there must be none.
 */

/** 200 by default; DNC_RACE_ROUNDS sets fewer while iterating. */
const ROUNDS = Number(process.env.DNC_RACE_ROUNDS ?? 200);
const AT_ONCE = 8;
const TRIGGERS = ['together', 'after-claim', 'before-dialing', 'after-dialing', 'after-pbx'] as const;
/** The append after which a round's listing is committed, before the appender goes on. */
type Step = Exclude<(typeof TRIGGERS)[number], 'together'>;
type Trigger = (typeof TRIGGERS)[number];
type Outcome = 'dialled' | 'blocked' | 'skipped';
const PBX_REPORTS: ReadonlySet<string> = new Set(['CallRinging', 'CallAnswered', 'CallCompleted', 'CallFailed', 'CallLost']);

const phoneOf = (round: number) => `+9230055${String(round).padStart(5, '0')}`;

type AppendHook = (stream: string, events: readonly EventToAppend[], when: 'before' | 'after') => Promise<void>;

/** The engine's store, with a hook around each append: where the test slips a listing in. */
class HookedStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly hook: AppendHook,
  ) {}
  async append(stream: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    await this.hook(stream, events, 'before');
    const result = await this.inner.append(stream, events, expected);
    await this.hook(stream, events, 'after');
    return result;
  }
  readStream: EventStore['readStream'] = (stream, options) => this.inner.readStream(stream, options);
  readAll: EventStore['readAll'] = (options) => this.inner.readAll(options);
  subscribe: EventStore['subscribe'] = (options) => this.inner.subscribe(options);
  ping = () => this.inner.ping();
  close = () => this.inner.close();
}

for (const backend of testDatabases()) {
  describe(`do-not-call add racing the campaign dialer's claim on ${backend.name}`, () => {
    let running: RunningEngine;
    let audioId: string;
    const app = () => running.engine.app;
    const auth = () => bearer(running.apiKey);
    /** campaign id → the listing to commit right after the chosen append of its contact's attempt. */
    const armed = new Map<string, { on: Step; phone: string }>();
    const campaignOfCall = new Map<string, string>();

    const addToList = async (phone: string) => {
      const added = await request(app()).post('/api/v1/compliance/dnc').set(auth()).send({ phone, reason: 'race' });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
    };
    /** The same command the route runs, without the HTTP around it: it lands inside the gap. */
    const listNow = (phone: string) =>
      running.engine.compliance.service.add(
        { owner: { scope: 'tenant', tenantId: running.accountId }, actor: 'test:race', correlationId: crypto.randomUUID(), requestId: crypto.randomUUID() },
        { phone, reason: 'race' },
      );
    const createDraft = async (round: number) => {
      const created = await request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .field('name', `race ${round}`)
        .field('audio_id', audioId)
        .field('max_retries', '0')
        .field('start', 'false')
        .field('days', 'sun,mon,tue,wed,thu,fri,sat')
        .attach('csv_file', Buffer.from(`phone_number\n${phoneOf(round)}\n`), 'contacts.csv');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body.id as string;
    };
    const start = async (campaignId: string) => {
      const started = await request(app()).post(`/api/v1/campaigns/${campaignId}/start`).set(auth());
      expect(started.status, JSON.stringify(started.body)).toBeLessThan(300);
    };
    const fireOn = async (campaignId: string | undefined, step: Step) => {
      const entry = campaignId === undefined ? undefined : armed.get(campaignId);
      if (!entry || entry.on !== step) return;
      armed.delete(campaignId!);
      await listNow(entry.phone);
    };
    const aroundAppend: AppendHook = async (stream, events, when) => {
      const category = categoryOf(stream);
      for (const event of events) {
        if (category === 'campaign' && event.type === 'ContactAttemptStarted' && when === 'after') {
          campaignOfCall.set((event.data as { callId: string }).callId, idOf(stream));
          await fireOn(idOf(stream), 'after-claim');
        } else if (category === 'call' && event.type === 'CallDialing') {
          await fireOn(campaignOfCall.get(idOf(stream)), `${when}-dialing`);
        } else if (category === 'call' && when === 'after' && PBX_REPORTS.has(event.type)) {
          await fireOn(campaignOfCall.get(idOf(stream)), 'after-pbx');
        }
      }
    };

    /** What the log says became of the round's contact, once it has settled. */
    const settled = (campaignId: string, phone: string) =>
      poll(`campaign ${campaignId} settled`, async () => {
        const store = running.engine.store;
        const campaign = await store.readStream(campaignStream(campaignId));
        const claim = campaign.find((event) => event.type === 'ContactAttemptStarted');
        const skipped = campaign.find((event) => event.type === 'ContactSkipped');
        const call = claim ? await store.readStream(callStream((claim.data as { callId: string }).callId)) : [];
        const dialing = call.find((event) => event.type === 'CallDialing');
        const blocked = call.find((event) => event.type === 'CallBlocked');
        const reachedPbx = call.find((event) => PBX_REPORTS.has(event.type));
        const listing = (await store.readStream(dncStream(running.accountId))).find(
          (event) => event.type === 'DncEntryAdded' && (event.data as { phone: string }).phone === phone,
        );
        if (!listing) return null;
        if (skipped) return { outcome: (blocked ? 'blocked' : 'skipped') as Outcome, claim, skipped, dialing, blocked, reachedPbx, listing };
        if (dialing && reachedPbx && !blocked) return { outcome: 'dialled' as Outcome, claim, dialing, reachedPbx, listing };
        return null;
      }, 60_000);

    beforeAll(async () => {
      const database = await backend.open();
      const store = new HookedStore(await createPostgresEventStore(database), aroundAppend);
      running = await startTestEngine(database, { eventStore: store, env: { ...CAMPAIGN_ENV, DEMO_ACCOUNT_COUNTRY: 'PK' } });
      audioId = await uploadReadyAudio(running);
    }, 60_000);
    afterAll(async () => {
      await running?.close();
    });

    it('a number listed before the campaign starts is skipped (dnc), though it was imported before the listing', async () => {
      const campaignId = await createDraft(ROUNDS);
      await addToList(phoneOf(ROUNDS));
      await start(campaignId);
      const round = await settled(campaignId, phoneOf(ROUNDS));
      expect(round.outcome).toBe('skipped');
      expect((round.skipped!.data as { reason: string }).reason).toBe('dnc');
      expect(round.dialing).toBeUndefined();
    }, 60_000);

    it(`${ROUNDS} rounds of add against claim: every dialled call's CallDialing is ordered before the listing`, async () => {
      const outcomes: Record<Outcome, number> = { dialled: 0, blocked: 0, skipped: 0 };
      const violations: string[] = [];
      const byTrigger = new Map<Trigger, Record<Outcome, number>>(TRIGGERS.map((t) => [t, { dialled: 0, blocked: 0, skipped: 0 }]));

      const playRound = async (round: number) => {
        const phone = phoneOf(round);
        const trigger = TRIGGERS[round % TRIGGERS.length]!;
        const campaignId = await createDraft(round);
        if (trigger === 'together') {
          await Promise.all([addToList(phone), start(campaignId)]);
        } else {
          armed.set(campaignId, { on: trigger, phone });
          await start(campaignId);
        }
        const result = await settled(campaignId, phone);
        outcomes[result.outcome]++;
        byTrigger.get(trigger)![result.outcome]++;
        if (result.outcome === 'dialled') {
          const beforeListing = comparePositions(result.dialing!.position, result.listing.position) < 0 && comparePositions(result.claim!.position, result.listing.position) < 0;
          if (!beforeListing) violations.push(`round ${round} (${trigger}): ${phone} dialled at ${String(result.dialing!.position.commit)}/${String(result.dialing!.position.prepare)} after its listing at ${String(result.listing.position.commit)}/${String(result.listing.position.prepare)}`);
        } else {
          expect((result.skipped!.data as { reason: string }).reason).toBe('dnc');
          // Not dialled means the PBX never saw it: no progress after a block.
          expect(result.reachedPbx).toBeUndefined();
        }
      };

      for (let first = 0; first < ROUNDS; first += AT_ONCE) {
        await Promise.all(Array.from({ length: Math.min(AT_ONCE, ROUNDS - first) }, (_, k) => playRound(first + k)));
      }

      console.log(`${backend.name}: ${JSON.stringify(outcomes)}; by trigger ${JSON.stringify(Object.fromEntries(byTrigger))}`);
      expect(violations).toEqual([]);
      expect(outcomes.dialled + outcomes.blocked + outcomes.skipped).toBe(ROUNDS);

      // The compliance audit, folding the lists from the log itself, agrees: nothing dialled while listed.
      // It reads the global order, which on a shared Postgres may trail the streams for a moment.
      const compliance = new ComplianceService(running.engine.store);
      const audit = await poll('the audit to see every round', async () => {
        const report = await compliance.audit('2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z');
        return report.dialled + report.blocked >= outcomes.dialled + outcomes.blocked ? report : null;
      }, 60_000);
      expect(audit.violations).toBe(0);
      expect(audit.blocked).toBe(outcomes.blocked);
      expect(audit.dialled).toBe(outcomes.dialled);
    }, 600_000);
  });
}
