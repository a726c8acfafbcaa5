import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/database.ts';
import { createCampaignAggregate, type CampaignAggregate } from '../../src/commands/campaigns/campaign-aggregate.ts';
import type { CampaignAttemptCall, Caller } from '../../src/commands/calls/call-service.ts';
import type { CommandContext } from '../../src/commands/decider.ts';
import type { CampaignCommand, CampaignState } from '../../src/domain/campaign/index.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';
import type { EventToAppend } from '../../src/domain/shared/messages.ts';
import { callStream, campaignStream, walletStream } from '../../src/domain/shared/streams.ts';
import { CampaignDialer, type CampaignCallPlacer } from '../../src/reactors/campaign-dialer.ts';
import { campaignId, contact, settingsWith, tenantId } from '../domain/campaign/fixtures.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';
import { poll } from '../support/poll.ts';

/**
 * The campaign dialer against an in-memory store and a fake PBX that the test ends calls on. Two
 * dialers with their own caches stand for two engine processes sharing one store.
 */

const START = '2026-03-02T10:00:00.000Z';

const meta = (at: string) => ({
  eventId: crypto.randomUUID(),
  correlationId: 'corr',
  causationId: 'cause',
  tenantId,
  actor: 'system:test',
  occurredAt: at,
  schemaVersion: 1,
});

/** Places calls as CallRequested appends (the real placement's idempotency: the stream exists) and remembers them. */
class FakePbx implements CampaignCallPlacer {
  readonly placed: string[] = [];
  readonly live = new Set<string>();
  maxLive = 0;
  refuseWith: string | null = null;

  constructor(private readonly store: InMemoryEventStore, private readonly clock: ManualClock) {}

  async placeAttempt(caller: Caller, attempt: CampaignAttemptCall): Promise<'placed' | 'exists'> {
    if (this.refuseWith) throw new DomainError(this.refuseWith, 'refused by the test');
    const at = this.clock.now().toISOString();
    const requested: EventToAppend = {
      type: 'CallRequested',
      data: {
        callId: attempt.callId, tenantId: caller.tenantId, to: attempt.to, from: null, audioId: attempt.audioId, record: false,
        ringTimeoutSeconds: 30, maxDurationSeconds: 60, campaignId: attempt.campaignId, mode: caller.mode, requestedAt: at,
      },
      metadata: meta(at),
    };
    try {
      await this.store.append(callStream(attempt.callId), [requested], 'no_stream');
    } catch {
      return 'exists';
    }
    this.placed.push(attempt.callId);
    this.live.add(attempt.callId);
    this.maxLive = Math.max(this.maxLive, this.live.size);
    return 'placed';
  }

  async end(callId: string, outcome: 'COMPLETED' | 'BUSY', billableMs = 3000): Promise<void> {
    this.live.delete(callId);
    const at = this.clock.now().toISOString();
    const event: EventToAppend =
      outcome === 'COMPLETED'
        ? { type: 'CallCompleted', data: { callId, cause: 16, causeText: 'Normal Clearing', answeredAt: at, endedAt: at, billableMs }, metadata: meta(at) }
        : { type: 'CallFailed', data: { callId, outcome: 'BUSY', cause: 17, causeText: 'User busy', retryable: true, endedAt: at, reason: null }, metadata: meta(at) };
    await this.store.append(callStream(callId), [event], 'stream_exists');
  }

  async charge(callId: string, amountMinor: number): Promise<void> {
    const at = this.clock.now().toISOString();
    await this.store.append(walletStream(tenantId), [{ type: 'CallCharged', data: { callId, amount: { amountMinor, currency: 'PKR' } }, metadata: meta(at) }], 'any');
  }
}

const context = (at: string): CommandContext => ({ now: new Date(at), tenantId, actor: 'user:test', correlationId: 'c', causationId: 'r' });

async function runCampaign(aggregate: CampaignAggregate, commands: CampaignCommand[]): Promise<void> {
  for (const command of commands) await aggregate.handle(campaignStream(campaignId), command, context(START));
}

function campaignOf(count: number, overrides: Parameters<typeof settingsWith>[0] = {}): CampaignCommand[] {
  const contacts = Array.from({ length: count }, (_, i) => contact(i + 1));
  return [
    { type: 'CreateCampaign', data: { campaignId, tenantId, settings: settingsWith(overrides), autoStart: false, at: START } },
    { type: 'EnrollContacts', data: { campaignId, chunk: 0, contacts, at: START } },
    { type: 'CloseEnrollment', data: { campaignId, at: START } },
    { type: 'StartCampaign', data: { campaignId, at: START } },
  ];
}

describe('CampaignDialer', () => {
  const open: Array<{ stop(): Promise<void> } | Database> = [];
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await ('stop' in thing ? thing.stop() : thing.close());
  });

  async function dialers(count: number, store: InMemoryEventStore, pbx: FakePbx, clock: ManualClock): Promise<Array<{ aggregate: CampaignAggregate; dialer: CampaignDialer }>> {
    const started: Array<{ aggregate: CampaignAggregate; dialer: CampaignDialer }> = [];
    for (let i = 0; i < count; i++) {
      const db = await openDatabase({});
      open.push(db);
      const aggregate = createCampaignAggregate(store);
      const dialer = new CampaignDialer(db.db, store, aggregate, pbx, async () => [{ campaignId }], clock, { pollMs: 10, orphanAfterMs: 5_000, logger: { error: () => undefined } });
      await dialer.start();
      open.push(dialer);
      started.push({ aggregate, dialer });
    }
    return started;
  }

  const stateOf = async (aggregate: CampaignAggregate): Promise<CampaignState> => (await aggregate.load(campaignStream(campaignId))).state;

  it('two dialers sharing a store keep to the concurrent limit, place every attempt once, and complete the campaign', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock(START);
    const pbx = new FakePbx(store, clock);
    const [{ aggregate: first }] = (await dialers(2, store, pbx, clock)) as unknown as [{ aggregate: CampaignAggregate }];
    await runCampaign(first, campaignOf(12, { concurrentLimit: 3 }));

    let ended = 0;
    while (ended < 12) {
      const live = await poll('a call in flight', async () => (pbx.live.size > 0 ? [...pbx.live] : null));
      for (const callId of live) {
        await pbx.end(callId, 'COMPLETED');
        ended++;
      }
    }
    const done = await poll('the campaign completed', async () => {
      const state = await stateOf(first);
      return state.status === 'Completed' ? state : null;
    });
    expect(pbx.maxLive).toBeLessThanOrEqual(3);
    expect(pbx.maxLive).toBeGreaterThan(0);
    expect(pbx.placed).toHaveLength(12);
    expect(new Set(pbx.placed).size).toBe(12);
    if (done.status === 'Completed') expect(done.roster.finished).toBe(12);
  });

  it('a busy contact is retried only once its delay has passed on the clock', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock(START);
    const pbx = new FakePbx(store, clock);
    const [{ aggregate, dialer }] = (await dialers(1, store, pbx, clock)) as unknown as [{ aggregate: CampaignAggregate; dialer: CampaignDialer }];
    await runCampaign(aggregate, campaignOf(1, { maxAttempts: 2, retryDelayMinutes: 30 }));

    const [firstCall] = await poll('the first attempt', async () => (pbx.live.size === 1 ? [...pbx.live] : null));
    await pbx.end(firstCall!, 'BUSY');
    await poll('the retry scheduled', async () => ((await stateOf(aggregate)).status === 'Running' && (await retryStatus(aggregate)) === 'retry_scheduled') || null);
    clock.advance(29 * 60_000);
    // A look at 29 minutes claims nothing: the retry is not due.
    await dialer.nudge(campaignId);
    expect(pbx.placed).toHaveLength(1);
    expect(await retryStatus(aggregate)).toBe('retry_scheduled');
    clock.advance(60_000);
    const second = await poll('the second attempt', async () => (pbx.placed.length === 2 ? pbx.placed[1] : null));
    expect(second).not.toBe(firstCall);
  });

  it('a refusal for want of balance releases the attempt and pauses the campaign; nothing is dialled after it', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock(START);
    const pbx = new FakePbx(store, clock);
    pbx.refuseWith = 'INSUFFICIENT_BALANCE';
    const [{ aggregate }] = (await dialers(1, store, pbx, clock)) as unknown as [{ aggregate: CampaignAggregate }];
    await runCampaign(aggregate, campaignOf(4, { concurrentLimit: 2 }));

    const paused = await poll('the campaign paused', async () => {
      const state = await stateOf(aggregate);
      return state.status === 'Paused' ? state : null;
    });
    expect(paused.status === 'Paused' && paused.reason).toBe('insufficient_balance');
    expect(pbx.placed).toHaveLength(0);
    await poll('every claim released', async () => ((await stateOf(aggregate)) as { roster: { inFlight: number } }).roster.inFlight === 0 || null);
    const released = (await store.readStream(campaignStream(campaignId))).filter((event) => event.type === 'ContactAttemptReleased');
    expect(released.length).toBeGreaterThan(0);
  });

  it('records each attempt\'s end and charge once, however often the events are delivered', async () => {
    const store = new InMemoryEventStore();
    const clock = new ManualClock(START);
    const pbx = new FakePbx(store, clock);
    const [{ aggregate }] = (await dialers(2, store, pbx, clock)) as unknown as [{ aggregate: CampaignAggregate }];
    await runCampaign(aggregate, campaignOf(1));
    const [callId] = await poll('the call', async () => (pbx.live.size === 1 ? [...pbx.live] : null));
    await pbx.end(callId!, 'COMPLETED', 42_000);
    await pbx.charge(callId!, 70);
    await poll('the charge recorded', async () => {
      const events = await store.readStream(campaignStream(campaignId));
      return events.some((event) => event.type === 'ContactAttemptCharged') && events.some((event) => event.type === 'CampaignCompleted') ? events : null;
    });
    const events = await store.readStream(campaignStream(campaignId));
    const count = (type: string) => events.filter((event) => event.type === type).length;
    expect([count('ContactAttemptEnded'), count('ContactAttemptCharged'), count('CampaignCompleted')]).toEqual([1, 1, 1]);
    const endedEvent = events.find((event) => event.type === 'ContactAttemptEnded')!;
    expect(endedEvent.data).toMatchObject({ outcome: 'COMPLETED', billableSeconds: 42 });
    expect(endedEvent.metadata).toMatchObject({ tenantId, actor: 'system:campaign-dialer' });
  });
});

async function retryStatus(aggregate: CampaignAggregate): Promise<string | null> {
  const { state } = await aggregate.load(campaignStream(campaignId));
  if (state.status === 'Initial') return null;
  return state.roster.contacts.get(0)?.status ?? null;
}

