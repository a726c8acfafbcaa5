import { describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError } from '../../../src/adapters/eventstore/port.ts';
import { CommandHandler } from '../../../src/commands/command-handler.ts';
import { campaignCodec } from '../../../src/commands/campaigns/campaign-codec.ts';
import type { CommandContext } from '../../../src/commands/decider.ts';
import {
  campaignDecider,
  evolveCampaignAll,
  type CampaignCommand,
  type CampaignEvent,
  type CampaignState,
  type ExistingCampaign,
} from '../../../src/domain/campaign/index.ts';
import { campaignStream } from '../../../src/domain/shared/streams.ts';
import { InMemoryEventStore } from '../../support/in-memory-event-store.ts';
import { claim, contact, create, ended, enroll, lifecycle, settingsWith } from '../../domain/campaign/fixtures.ts';

const at = '2026-03-02T05:00:00.000Z';
const stream = campaignStream('camp-1');
const context: CommandContext = { now: new Date(at), tenantId: 'tenant-1', actor: 'system:dialer', correlationId: 'corr-1', causationId: 'tick' };

describe('claims from several dialer processes sharing one store', () => {
  it('never put more attempts in flight than concurrent_limit, and never claim one attempt twice', async () => {
    const store = new InMemoryEventStore();
    let conflicts = 0;
    const append = store.append.bind(store);
    store.append = (...args) => append(...args).catch((error: unknown) => {
      if (error instanceof WrongExpectedRevisionError) conflicts += 1;
      throw error;
    });
    // Each "process" has its own handler; only the store is shared.
    const processes = Array.from({ length: 4 }, () => new CommandHandler<CampaignState, CampaignCommand, CampaignEvent>(store, campaignDecider, campaignCodec, { maxAttempts: 50 }));
    const [first] = processes;
    await first!.handle(stream, create(at, settingsWith({ concurrentLimit: 3, maxAttempts: 1 }), true), context);
    await first!.handle(stream, enroll(0, Array.from({ length: 20 }, (_, i) => contact(i + 1)), at), context);
    await first!.handle(stream, lifecycle('CloseEnrollment', at), context);

    // Every process claims at once, again and again, and ends what it claimed.
    for (let round = 0; round < 12; round++) {
      const claimed = await Promise.all(processes.map((handler) => handler.handle(stream, claim(at), context)));
      const started = claimed.flatMap((result) => result.appended.flatMap((event) => (event.type === 'ContactAttemptStarted' ? [event.data] : [])));
      await Promise.all(started.map((attempt, i) => processes[i % processes.length]!.handle(stream, ended(attempt.contactId, attempt.attempt, attempt.callId, 'COMPLETED', at, 3), context)));
    }

    const history = await store.readStream(stream);
    let state = campaignDecider.initialState();
    let peak = 0;
    for (const event of history) {
      state = evolveCampaignAll([event], state);
      if (state.status !== 'Initial') peak = Math.max(peak, state.roster.inFlight);
    }
    const callIds = history.flatMap((event) => (event.type === 'ContactAttemptStarted' ? [(event.data as { callId: string }).callId] : []));
    // The processes really did race: appends were refused and decided again.
    expect(conflicts).toBeGreaterThan(0);
    expect(peak).toBe(3);
    expect(new Set(callIds).size).toBe(callIds.length);
    expect(callIds).toHaveLength(20);
    expect((state as ExistingCampaign).status).toBe('Completed');
  });
});
