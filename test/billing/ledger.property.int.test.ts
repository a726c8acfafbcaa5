import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import {
  decideWallet,
  evolveWallet,
  initialWalletState,
  ledgerEffect,
  type RateEntry,
  type WalletCommand,
  type WalletState,
} from '../../src/domain/billing/index.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';
import type { RecordedEvent } from '../../src/domain/shared/messages.ts';
import { walletStream } from '../../src/domain/shared/streams.ts';
import { billingProjection } from '../../src/projections/billing/projection.ts';
import { BillingQueries } from '../../src/projections/billing/queries.ts';
import { testDatabases } from '../support/databases.ts';

const ACCOUNT = 'ledger-acct';
const rate: RateEntry = {
  rateId: 'r', prefix: '+', description: null, ratePerMinuteMinor: 90,
  initialIncrementSeconds: 30, subsequentIncrementSeconds: 6, connectionFeeMinor: 7, minimumBillableSeconds: 0,
};
const applied = { planId: 'p', planVersion: 1, rate };

/** One step of a random wallet story; ids are drawn from a small pool so repeats and redeliveries happen. */
const arbStep = fc.oneof(
  fc.record({ kind: fc.constant('deposit' as const), amount: fc.integer({ min: 1, max: 50_000 }), ref: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('reserve' as const), call: fc.integer({ min: 0, max: 9 }), amount: fc.integer({ min: 0, max: 20_000 }) }),
  fc.record({ kind: fc.constant('charge' as const), call: fc.integer({ min: 0, max: 9 }), ms: fc.integer({ min: 0, max: 600_000 }), answered: fc.boolean() }),
  fc.record({ kind: fc.constant('release' as const), call: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant('adjust' as const), id: fc.integer({ min: 0, max: 5 }), amount: fc.integer({ min: -20_000, max: 20_000 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('threshold' as const), amount: fc.option(fc.integer({ min: 0, max: 30_000 })) }),
);
type Step = typeof arbStep extends fc.Arbitrary<infer T> ? T : never;

function commandFor(step: Step, at: string): WalletCommand {
  const base = { accountId: ACCOUNT, currency: 'PKR', at };
  switch (step.kind) {
    case 'deposit':
      return { type: 'DepositFunds', data: { ...base, depositId: `d${step.ref}`, amountMinor: step.amount, reference: `ref-${step.ref}` } };
    case 'reserve':
      return { type: 'ReserveFunds', data: { ...base, callId: `c${step.call}`, amountMinor: step.amount, destination: '+923001234567', applied, maxDurationSeconds: 60 } };
    case 'charge':
      return {
        type: 'ChargeCall',
        data: {
          ...base, callId: `c${step.call}`, destination: '+923001234567', applied,
          evidence: {
            attempt: step.answered ? 'answered' : 'unanswered', requestedAt: at, answeredAt: step.answered ? at : null, endedAt: at,
            billableMs: step.answered ? step.ms : 0, cause: 16, causeText: 'x', outcome: step.answered ? 'COMPLETED' : 'BUSY',
            terminalEventId: `t${step.call}`, terminalEventType: step.answered ? 'CallCompleted' : 'CallFailed',
          },
        },
      };
    case 'release':
      return { type: 'ReleaseReservation', data: { ...base, callId: `c${step.call}`, reason: 'test' } };
    case 'adjust':
      return { type: 'AdjustCredit', data: { ...base, adjustmentId: `a${step.id}`, amountMinor: step.amount, reason: 'property', callId: null } };
    case 'threshold':
      return { type: 'SetLowBalanceThreshold', data: { ...base, thresholdMinor: step.amount } };
  }
}

/** Runs the story through the decider, as the command handler would, and returns the log it wrote. */
function writeStory(steps: readonly Step[]): { log: RecordedEvent[]; state: WalletState } {
  let state = initialWalletState();
  const log: RecordedEvent[] = [];
  steps.forEach((step, i) => {
    const at = new Date(Date.UTC(2026, 10, 23, 10, 0, i)).toISOString();
    let events;
    try {
      events = decideWallet(commandFor(step, at), state);
    } catch (error) {
      if (error instanceof DomainError) return; // refused: nothing written
      throw error;
    }
    for (const event of events) {
      const revision = BigInt(log.length);
      log.push({
        ...event,
        streamName: walletStream(ACCOUNT),
        streamRevision: revision,
        position: { commit: revision + 1n, prepare: 0n },
        metadata: {
          eventId: `e${revision}`, correlationId: 'c', causationId: 'c', tenantId: ACCOUNT, actor: 'test', occurredAt: at, schemaVersion: 1,
        },
      } as RecordedEvent);
      state = evolveWallet(state, event);
    }
  });
  return { log, state };
}

for (const backend of testDatabases()) {
  describe(`the ledger adds up (${backend.name})`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await backend.open();
      await billingProjection.migrate(database.db);
    });
    afterAll(async () => {
      await database?.close();
    });

    it('for any story, the sum of the wallet events equals the balance read model, replays included, and money never goes below zero', async () => {
      const queries = new BillingQueries(database.db);
      await fc.assert(
        fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (steps, batch) => {
          const { log, state } = writeStory(steps);
          let balance = 0;
          let reserved = 0;
          for (const event of log) {
            const effect = ledgerEffect(event);
            balance += effect.balance;
            reserved += effect.reserved;
            // Holds are only granted from available money, debits never exceed it.
            expect(balance).toBeGreaterThanOrEqual(0);
            expect(reserved).toBeGreaterThanOrEqual(0);
          }
          expect(balance).toBe(state.balanceMinor);

          await database.db.transaction().execute((trx) => billingProjection.reset(trx));
          // Feed the log in batches, delivering every batch twice: a replay must change nothing.
          for (let i = 0; i < log.length; i += batch) {
            const slice = log.slice(i, i + batch);
            await database.db.transaction().execute((trx) => billingProjection.apply(trx, slice));
            await database.db.transaction().execute((trx) => billingProjection.apply(trx, slice));
          }
          const row = await queries.balance(ACCOUNT);
          if (log.length === 0) {
            expect(row).toBeNull();
            return;
          }
          expect(row).toMatchObject({ balanceMinor: balance, reservedMinor: reserved, openReservations: state.reservations.size });
          const charges = log.filter((e) => e.type === 'CallCharged');
          expect(row!.callsCharged).toBe(charges.length);
          expect(row!.chargedMinor).toBe(charges.reduce((sum, e) => sum + (e.data as any).amount.amountMinor, 0));
        }),
        { numRuns: 40 },
      );
    });
  });
}
