/**
 * The proof: 1,000 calls with mixed outcomes and rates, charged by the real billing code;
 * `audit account` finds no mismatch; then one CallCharged amount is changed directly in storage and
 * both `audit account` and `verify` point at exactly that call. On PGlite, and Postgres when set.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import { runCliOn } from './support/cli.ts';
import { AuditService } from '../../src/commands/audit/audit-service.ts';
import { walletStream } from '../../src/domain/shared/streams.ts';
import { testDatabases } from '../support/databases.ts';
import { ACCOUNT, buildCalls, REVISION_AT, type Built } from './support/fixture.ts';

const CALLS = 1_000;
const FROM = '2026-05-01T00:00:00Z';
const TO = '2026-06-01T00:00:00Z';

for (const backend of testDatabases()) {
  describe(`audit account over ${CALLS} calls on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;
    let built: Built;

    const cli = (...argv: string[]) => runCliOn(database, store, ...argv);

    beforeAll(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      built = await buildCalls(database, store, CALLS);
    }, 300_000);
    afterAll(async () => {
      await store?.close();
      await database?.close();
    });

    it('the fixture really is mixed: outcomes, free calls, test mode, unended calls and both plan versions', async () => {
      expect(built.charged.length).toBeGreaterThan(900);
      expect(built.testMode.length).toBeGreaterThanOrEqual(10);
      expect(built.unended.length).toBe(4);
      const wallet = await store.readStream(walletStream(ACCOUNT));
      const charges = wallet.filter((e) => e.type === 'CallCharged').map((e) => e.data as { amount: { amountMinor: number }; applied: { planVersion: number; rate: { rateId: string } } });
      expect(charges).toHaveLength(built.charged.length);
      expect(new Set(charges.map((c) => c.applied.planVersion))).toEqual(new Set([1, 2]));
      expect(new Set(charges.map((c) => c.applied.rate.rateId))).toEqual(new Set(['pk', 'pk2', 'uk', 'us', 'world']));
      expect(charges.some((c) => c.amount.amountMinor === 0)).toBe(true); // free (never dialled / no fee)
    });

    it('audit account finds zero mismatches, with counts and totals that add up', async () => {
      const report = await new AuditService(store).account(ACCOUNT, FROM, TO);
      expect(report.calls).toBe(CALLS);
      expect(report.mismatches).toEqual([]);
      expect(report.verdicts).toEqual({ MATCH: built.charged.length, MISMATCH: 0, NOT_BILLABLE: built.testMode.filter((id) => !built.unended.includes(id)).length, PENDING: built.unended.length });
      const wallet = await store.readStream(walletStream(ACCOUNT));
      const ledgerTotal = wallet.filter((e) => e.type === 'CallCharged').reduce((sum, e) => sum + (e.data as { amount: { amountMinor: number } }).amount.amountMinor, 0);
      expect(report.totals.ledgerMinor).toBe(ledgerTotal);
      expect(report.totals.recomputedMinor).toBe(ledgerTotal);
      expect(ledgerTotal).toBeGreaterThan(0);

      const run = await cli('audit', 'account', ACCOUNT, '--from', FROM, '--to', TO, '--no-progress');
      expect(run.code).toBe(0);
      expect(run.out).toContain(`calls: ${CALLS} (MATCH ${built.charged.length}, MISMATCH 0`);
      expect(run.out).toContain('No mismatches');
    });

    it('a period selects only the calls placed in it', async () => {
      const before = await new AuditService(store).account(ACCOUNT, FROM, REVISION_AT);
      const after = await new AuditService(store).account(ACCOUNT, REVISION_AT, TO);
      expect(before.calls + after.calls).toBe(CALLS);
      expect(before.calls).toBeGreaterThan(0);
      expect(after.calls).toBeGreaterThan(0);
      expect(before.audits.every((a) => a.verdict !== 'MATCH' || a.rateInForce?.planVersion === 1)).toBe(true);
      expect(after.audits.every((a) => a.verdict !== 'MATCH' || a.rateInForce?.planVersion === 2)).toBe(true);
    });

    it('one CallCharged amount changed in storage: audit account and verify both flag exactly that call', async () => {
      const victim = built.answeredCharged[137]!;
      const stream = walletStream(ACCOUNT);
      const { rows } = await sql<{ stream_revision: string; amount: number }>`
        select stream_revision, (data->'amount'->>'amountMinor')::int as amount from es_events
        where stream_name = ${stream} and type = 'CallCharged' and data->>'callId' = ${victim}`.execute(database.db);
      expect(rows).toHaveLength(1);
      const original = rows[0]!.amount;
      const revision = BigInt(rows[0]!.stream_revision);
      await sql`update es_events set data = jsonb_set(data, '{amount,amountMinor}', to_jsonb(${original + 100}::int))
        where stream_name = ${stream} and stream_revision = ${revision.toString()}`.execute(database.db);

      const report = await new AuditService(store).account(ACCOUNT, FROM, TO);
      expect(report.mismatches.map((m) => m.callId)).toEqual([victim]);
      expect(report.mismatches[0]!.differences).toEqual([{ field: 'amountMinor', recomputed: original, ledger: original + 100 }]);
      expect(report.totals.differenceMinor).toBe(100);

      const audit = await cli('audit', 'account', ACCOUNT, '--from', FROM, '--to', TO, '--json');
      expect(audit.code).toBe(1);
      const parsed = JSON.parse(audit.out) as { mismatches: Array<{ callId: string }> };
      expect(parsed.mismatches.map((m) => m.callId)).toEqual([victim]);

      const one = await cli('audit', 'call', victim);
      expect(one.code).toBe(1);
      expect(one.out).toContain(`Call ${victim}: MISMATCH`);

      const verify = await cli('verify', '--all', '--json', '--no-progress');
      expect(verify.code).toBe(1);
      const broken = (JSON.parse(verify.out) as { firstBroken: { stream: string; revision: string | number } }).firstBroken;
      expect(broken.stream).toBe(stream);
      expect(BigInt(broken.revision)).toBe(revision);
      const [flagged] = await store.readStream(stream, { fromRevision: BigInt(broken.revision), maxCount: 1 });
      expect(flagged!.type).toBe('CallCharged');
      expect((flagged!.data as { callId: string }).callId).toBe(victim);
    });
  });
}
