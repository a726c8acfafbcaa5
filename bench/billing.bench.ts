import { randomUUID } from 'node:crypto';
import { createPostgresEventStore } from '../src/adapters/eventstore/postgres-event-store.ts';
import type { EventStore } from '../src/adapters/eventstore/port.ts';
import { BillingService, type Evidence } from '../src/commands/billing/billing-service.ts';
import { systemClock } from '../src/domain/shared/clock.ts';
import { comparePositions, type EventToAppend, type GlobalPosition } from '../src/domain/shared/messages.ts';
import { callStream } from '../src/domain/shared/streams.ts';
import { saveCheckpoint, migrateCheckpoints } from '../src/projections/checkpoints.ts';
import { BillingReactor } from '../src/reactors/billing.ts';
import { formatRate, perSecond, sizeFromEnv } from './support/rates.ts';
import { openScratchDatabase } from './support/scratch-database.ts';

/**
 * Charging throughput: calls charged per second by the billing reactor (subscription → read the
 * call's stream → rate → ChargeCall on the wallet under its expected revision → checkpoint),
 * against the floor of issuing the same ChargeCall commands straight to the wallets (no
 * subscription, no call-stream read) in the same run, on the same database.
 *
 * Sizes: BENCH_BILLING_CALLS (default 400 per side), BENCH_BILLING_ACCOUNTS (default 8).
 * Database: BENCH_DATABASE_URL or TEST_DATABASE_URL (a throwaway schema), else in-memory PGlite.
 */
export default async function bench(): Promise<void> {
  const calls = sizeFromEnv('BENCH_BILLING_CALLS', 400);
  const accounts = sizeFromEnv('BENCH_BILLING_ACCOUNTS', 8);
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const { database, dispose } = await openScratchDatabase(url);
  try {
    console.log(`billing bench on ${database.kind}: ${calls} calls per side over ${accounts} accounts`);
    const store = await createPostgresEventStore(database);
    const billing = new BillingService(store, systemClock, { account: async () => ({ currency: 'PKR' }) });
    const operator = { actor: 'system:bench', correlationId: 'bench', causationId: 'bench' };
    const plan = await billing.createPlan(operator, {
      planId: null,
      name: 'bench',
      currency: 'PKR',
      rates: [{ rateId: 'pk', prefix: '+92', description: null, ratePerMinuteMinor: 120, initialIncrementSeconds: 1, subsequentIncrementSeconds: 1, connectionFeeMinor: 0, minimumBillableSeconds: 0 }],
    });
    const accountIds = Array.from({ length: accounts }, () => randomUUID());
    for (const accountId of accountIds) {
      await billing.assignPlan(operator, accountId, { planId: plan.planId, effectiveFrom: null });
      await billing.deposit(operator, accountId, { amountMinor: 1_000_000_000, currency: 'PKR', reference: 'bench' });
    }

    // Baseline: the same charges issued straight to the wallets.
    const direct = await placeCalls(store, billing, accountIds, calls, true);
    const baselineRate = await perSecond(calls, () =>
      Promise.all(
        direct.calls.map((call) =>
          billing.charge(
            { now: new Date(), tenantId: call.accountId, actor: 'system:bench', correlationId: call.callId, causationId: call.callId },
            call.accountId,
            { callId: call.callId, destination: '+923001234567', applied: call.applied, evidence: call.evidence, currency: 'PKR' },
          ),
        ),
      ).then(() => undefined),
    );

    // Through the reactor: it starts just before the terminal events and charges them all.
    const viaReactor = await placeCalls(store, billing, accountIds, calls, false);
    await migrateCheckpoints(database.db);
    await saveCheckpoint(database.db, 'reactor:billing', viaReactor.beforeTerminals);
    const reactor = new BillingReactor(database.db, store, billing, systemClock);
    const reactorRate = await perSecond(calls, async () => {
      await reactor.start();
      while (reactor.position === null || comparePositions(reactor.position, viaReactor.lastTerminal) < 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    await reactor.stop();
    let charged = 0;
    for (const accountId of accountIds) charged += (await billing.wallet(accountId)).charged.size;
    await store.close();

    console.log(`  ChargeCall straight to the wallet:  ${formatRate(baselineRate)} calls/s  (baseline)`);
    console.log(`  charged through the reactor:        ${formatRate(reactorRate)} calls/s  ratio ${(reactorRate / baselineRate).toFixed(3)}`);
    console.log(`  (calls charged in total: ${charged} of ${calls * 2})`);
  } finally {
    await dispose();
  }
}

type PreparedCall = { callId: string; accountId: string; applied: Awaited<ReturnType<BillingService['rateFor']>>; evidence: Evidence };

/** Writes CallRequested + a hold for each call, then CallCompleted (61 s), as the engine would. */
async function placeCalls(store: EventStore, billing: BillingService, accountIds: string[], count: number, forBaseline: boolean) {
  const prepared: PreparedCall[] = [];
  let beforeTerminals: GlobalPosition = { commit: 0n, prepare: 0n };
  const start = Date.now();
  const requestedAt = new Date(start).toISOString();
  const answeredAt = new Date(start + 1_000).toISOString();
  const endedAt = new Date(start + 62_000).toISOString();
  for (let i = 0; i < count; i++) {
    const callId = randomUUID();
    const accountId = accountIds[i % accountIds.length]!;
    const requested = await store.append(callStream(callId), [event('CallRequested', 2, accountId, {
      callId, tenantId: accountId, to: '+923001234567', from: null, audioId: null, record: false, ringTimeoutSeconds: 30,
      maxDurationSeconds: 300, campaignId: null, mode: 'live', requestedAt,
    })], 'no_stream');
    const hold = await billing.reserve({ callId, tenantId: accountId, to: '+923001234567', maxDurationSeconds: 300, actor: 'system:bench', correlationId: callId, now: new Date(requestedAt) });
    beforeTerminals = [requested.position, hold.position ?? requested.position].reduce((a, b) => (comparePositions(a, b) > 0 ? a : b), beforeTerminals);
    const wallet = await billing.wallet(accountId);
    prepared.push({
      callId,
      accountId,
      applied: wallet.reservations.get(callId)!.applied,
      evidence: {
        attempt: 'answered', requestedAt, answeredAt, endedAt, billableMs: 61_000, cause: 16, causeText: 'Normal Clearing',
        outcome: 'COMPLETED', terminalEventId: randomUUID(), terminalEventType: 'CallCompleted',
      },
    });
  }
  let lastTerminal = beforeTerminals;
  if (!forBaseline) {
    for (const call of prepared) {
      const done = await store.append(callStream(call.callId), [event('CallCompleted', 1, call.accountId, {
        callId: call.callId, cause: 16, causeText: 'Normal Clearing', answeredAt, endedAt, billableMs: 61_000,
      })], 0n);
      lastTerminal = done.position;
    }
  }
  return { calls: prepared, beforeTerminals, lastTerminal };
}

function event(type: string, schemaVersion: number, tenantId: string, data: Record<string, unknown>): EventToAppend {
  const eventId = randomUUID();
  return {
    type,
    data,
    metadata: { eventId, correlationId: eventId, causationId: eventId, tenantId, actor: 'system:bench', occurredAt: new Date().toISOString(), schemaVersion },
  };
}
