import type { Database } from '../../../src/adapters/db/database.ts';
import type { PostgresEventStore } from '../../../src/adapters/eventstore/postgres-event-store.ts';
import { BillingService, type BillingOperator } from '../../../src/commands/billing/billing-service.ts';
import type { RateEntry } from '../../../src/domain/billing/index.ts';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import type { EventToAppend } from '../../../src/domain/shared/messages.ts';
import { callStream } from '../../../src/domain/shared/streams.ts';
import { BillingReactor } from '../../../src/reactors/billing.ts';

export const ACCOUNT = 'acct-audit';
export const START = Date.parse('2026-05-01T00:00:00.000Z');
/** Calls start this far apart, longer than the longest call, so the wallet's clock only moves forward. */
export const SPACING_MS = 420_000;
/** Plan version 2 (dearer Pakistan with a connection fee) applies from here, part-way through the calls. */
export const REVISION_AT = '2026-05-02T12:00:00.000Z';
export const operator: BillingOperator = { actor: 'user:operator', correlationId: 'corr-setup', causationId: 'req-setup' };

const rate = (rateId: string, prefix: string, perMinute: number, initial: number, subsequent: number, fee: number, minimum: number): RateEntry => ({
  rateId, prefix, description: rateId, ratePerMinuteMinor: perMinute, initialIncrementSeconds: initial,
  subsequentIncrementSeconds: subsequent, connectionFeeMinor: fee, minimumBillableSeconds: minimum,
});
export const RATES_V1: RateEntry[] = [
  rate('pk', '+92', 200, 60, 60, 0, 0),
  rate('uk', '+44', 90, 30, 6, 7, 0),
  rate('us', '+1', 150, 1, 1, 3, 10),
  rate('world', '+', 5_000, 60, 60, 0, 0),
];
export const RATES_V2: RateEntry[] = [rate('pk2', '+92', 300, 60, 60, 5, 0), ...RATES_V1.slice(1)];

const DESTINATIONS = ['+923001234567', '+447700900123', '+12025550123', '+4930123456', '+923331112223'];

export function uuid(index: number, n = 0): string {
  return `00000000-0000-4000-a000-${(index * 16 + n).toString(16).padStart(12, '0')}`;
}

export type Built = {
  readonly service: BillingService;
  readonly clock: ManualClock;
  readonly callIds: string[];
  readonly charged: string[];
  readonly testMode: string[];
  readonly unended: string[];
  /** Answered and charged calls. */
  readonly answeredCharged: string[];
  /** The instant after the last call. */
  readonly end: string;
};

/**
 * `count` calls of ACCOUNT with mixed outcomes, destinations and plan versions. Holds are taken by the
 * real BillingService and charges made by the real BillingReactor from each call's terminal event.
 */
export async function buildCalls(db: Database, store: PostgresEventStore, count: number): Promise<Built> {
  const clock = new ManualClock(new Date(START));
  const service = new BillingService(store, clock, { account: async () => ({ currency: 'PKR' }) });
  const reactor = new BillingReactor(db.db, store, service, clock);
  const plan = await service.createPlan(operator, { planId: 'plan-audit', name: 'Audit plan', currency: 'PKR', rates: RATES_V1 });
  await service.assignPlan(operator, ACCOUNT, { planId: plan.planId, effectiveFrom: null });
  await service.deposit(operator, ACCOUNT, { amountMinor: 500_000_000, currency: 'PKR', reference: 'opening' });
  await service.revisePlan(operator, plan.planId, { rates: RATES_V2, effectiveFrom: REVISION_AT });

  const built = { service, clock, callIds: [] as string[], charged: [] as string[], testMode: [] as string[], unended: [] as string[], answeredCharged: [] as string[], end: '' };
  for (let i = 0; i < count; i++) {
    clock.set(new Date(START + 60_000 + i * SPACING_MS));
    const callId = uuid(i);
    built.callIds.push(callId);
    const now = clock.now();
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const mode = i % 97 === 5 ? 'test' : 'live';
    const to = DESTINATIONS[i % DESTINATIONS.length]!;
    if (mode === 'live') {
      await service.reserve({ callId, tenantId: ACCOUNT, to, maxDurationSeconds: 600, actor: 'apikey:k1', correlationId: `corr-${i}`, now });
    }
    let n = 0;
    const meta = (offset: number, actor: string) => {
      n++;
      return {
        eventId: uuid(i, n), correlationId: `corr-${i}`, causationId: n === 1 ? `req-${i}` : uuid(i, n - 1),
        tenantId: ACCOUNT, actor, occurredAt: at(offset), schemaVersion: 1,
      };
    };
    const events: EventToAppend[] = [
      {
        type: 'CallRequested',
        data: { callId, tenantId: ACCOUNT, to, from: null, audioId: null, record: false, ringTimeoutSeconds: 30, maxDurationSeconds: 600, campaignId: null, mode, requestedAt: at(0) },
        metadata: { ...meta(0, 'apikey:k1'), schemaVersion: 2 },
      },
      { type: 'CallDialing', data: { callId, channelId: `ct-${callId}`, at: at(5) }, metadata: meta(5, 'system:dialer') },
    ];
    const kind = i % 6;
    const talkMs = 1_000 + ((i * 7_919) % 400_000);
    const unended = i % 250 === 3;
    if (unended) {
      built.unended.push(callId); // still ringing: no terminal event, no charge
    } else if (kind <= 2) {
      events.push(
        { type: 'CallAnswered', data: { callId, answeredAt: at(2_000) }, metadata: meta(2_000, 'system:ari') },
        {
          type: 'CallCompleted',
          data: { callId, cause: 16, causeText: 'Normal Clearing', answeredAt: at(2_000), endedAt: at(2_000 + talkMs), billableMs: talkMs },
          metadata: meta(2_000 + talkMs, 'system:ari'),
        },
      );
    } else if (kind === 3) {
      events.push({ type: 'CallFailed', data: { callId, outcome: 'BUSY', cause: 17, causeText: 'User busy', retryable: true, endedAt: at(900), reason: null }, metadata: meta(900, 'system:ari') });
    } else if (kind === 4) {
      events.push({ type: 'CallFailed', data: { callId, outcome: 'NO_ANSWER', cause: 19, causeText: 'No answer', retryable: true, endedAt: at(30_000), reason: null }, metadata: meta(30_000, 'system:ari') });
    } else {
      events.push({
        type: 'CallFailed',
        data: { callId, outcome: 'FAILED', cause: null, causeText: 'No PBX answered the originate', retryable: true, endedAt: at(400), reason: 'originate_failed' },
        metadata: meta(400, 'system:dialer'),
      });
    }
    await store.append(callStream(callId), events, 'no_stream');
    if (mode === 'test') built.testMode.push(callId);
    if (unended) continue;
    const stored = await store.readStream(callStream(callId));
    const terminal = stored.at(-1)!;
    clock.set(new Date(Date.parse(terminal.metadata.occurredAt) + 50));
    const outcome = await reactor.charge(terminal);
    if (outcome === 'charged') {
      built.charged.push(callId);
      if (kind <= 2) built.answeredCharged.push(callId);
    }
  }
  built.end = new Date(START + 60_000 + count * SPACING_MS).toISOString();
  return built;
}
