/**
 * Point-in-time balances against a ledger computed by hand, and the HTML dispute report as a person
 * sees it in headless Chromium (skipped, with the reason printed, when no chromium binary exists).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/adapters/db/database.ts';
import { createPostgresEventStore, type PostgresEventStore } from '../../src/adapters/eventstore/postgres-event-store.ts';
import { runCliOn } from './support/cli.ts';
import { AuditService } from '../../src/commands/audit/audit-service.ts';
import { BillingService } from '../../src/commands/billing/billing-service.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { BillingReactor } from '../../src/reactors/billing.ts';
import { testDatabases } from '../support/databases.ts';
import { operator, uuid } from './support/fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const ACCOUNT = 'acct-ledger';
const CALL = uuid(4242);
const T = (hhmm: string) => `2026-07-01T${hhmm}:00.000Z`;

for (const backend of testDatabases()) {
  describe(`balance --at and the dispute report on ${backend.name}`, () => {
    let database: Database;
    let store: PostgresEventStore;

    const cli = (...argv: string[]) => runCliOn(database, store, ...argv);

    /**
     * The hand-computed ledger (rate 120/min, 60/60, connection fee 10; hold for 300 s max = 301 s → 360 s billed):
     *  10:00 deposit 10,000                     balance 10,000  reserved 0
     *  10:05 hold 720 + 10 = 730                balance 10,000  reserved 730
     *  10:06:30 charge 61 s → 120 s → 240 + 10 = 250; hold released   balance 9,750  reserved 0
     *  10:10 adjustment −500                    balance 9,250
     *  10:20 deposit 2,000                      balance 11,250
     */
    beforeAll(async () => {
      database = await backend.open();
      store = await createPostgresEventStore(database);
      const clock = new ManualClock(T('09:00'));
      const billing = new BillingService(store, clock, { account: async () => ({ currency: 'PKR' }) });
      await billing.createPlan(operator, {
        planId: 'plan-ledger', name: 'Ledger <plan> & "co"', currency: 'PKR',
        rates: [{ rateId: 'pk', prefix: '+92', description: 'Pakistan <mobile>', ratePerMinuteMinor: 120, initialIncrementSeconds: 60, subsequentIncrementSeconds: 60, connectionFeeMinor: 10, minimumBillableSeconds: 0 }],
      });
      await billing.assignPlan(operator, ACCOUNT, { planId: 'plan-ledger', effectiveFrom: null });
      clock.set(T('10:00'));
      await billing.deposit(operator, ACCOUNT, { amountMinor: 10_000, currency: 'PKR', reference: 'r1' });
      clock.set(T('10:05'));
      await billing.reserve({ callId: CALL, tenantId: ACCOUNT, to: '+923001234567', maxDurationSeconds: 300, actor: 'apikey:k', correlationId: 'corr-call', now: clock.now() });
      const meta = (n: number, at: string, actor: string) => ({ eventId: uuid(4242, n), correlationId: 'corr-call', causationId: n === 1 ? 'req-1' : uuid(4242, n - 1), tenantId: ACCOUNT, actor, occurredAt: at, schemaVersion: n === 1 ? 2 : 1 });
      await store.append(callStream(CALL), [
        { type: 'CallRequested', data: { callId: CALL, tenantId: ACCOUNT, to: '+923001234567', from: null, audioId: null, record: false, ringTimeoutSeconds: 30, maxDurationSeconds: 300, campaignId: null, mode: 'live', requestedAt: T('10:05') }, metadata: meta(1, T('10:05'), 'apikey:k') },
        { type: 'CallDialing', data: { callId: CALL, channelId: 'ct-1', at: '2026-07-01T10:05:00.100Z' }, metadata: meta(2, '2026-07-01T10:05:00.100Z', 'system:dialer') },
        { type: 'CallAnswered', data: { callId: CALL, answeredAt: '2026-07-01T10:05:03.000Z' }, metadata: meta(3, '2026-07-01T10:05:03.000Z', 'system:ari') },
        { type: 'CallCompleted', data: { callId: CALL, cause: 16, causeText: 'Normal Clearing <ok>', answeredAt: '2026-07-01T10:05:03.000Z', endedAt: '2026-07-01T10:06:03.500Z', billableMs: 60_500 + 500 }, metadata: meta(4, '2026-07-01T10:06:04.000Z', 'system:ari') },
      ], 'no_stream');
      clock.set('2026-07-01T10:06:30.000Z');
      const terminal = (await store.readStream(callStream(CALL))).at(-1)!;
      expect(await new BillingReactor(database.db, store, billing, clock).charge(terminal)).toBe('charged');
      clock.set(T('10:10'));
      await billing.adjust(operator, ACCOUNT, { adjustmentId: 'adj-1', amountMinor: -500, currency: 'PKR', reason: 'correction', callId: null });
      clock.set(T('10:20'));
      await billing.deposit(operator, ACCOUNT, { amountMinor: 2_000, currency: 'PKR', reference: 'r2' });
    });
    afterAll(async () => {
      await store?.close();
      await database?.close();
    });

    it('balance at several instants equals the hand-computed ledger', async () => {
      const audit = new AuditService(store);
      const expected: Array<[string, number, number]> = [
        [T('09:59'), 0, 0],
        [T('10:00'), 10_000, 0],
        [T('10:05'), 10_000, 730],
        ['2026-07-01T10:05:30.000Z', 10_000, 730],
        ['2026-07-01T10:06:10.000Z', 10_000, 730],
        ['2026-07-01T10:06:30.000Z', 9_750, 0],
        [T('10:15'), 9_250, 0],
        [T('10:20'), 11_250, 0],
        [T('23:00'), 11_250, 0],
      ];
      for (const [at, balance, reserved] of expected) {
        const found = await audit.balance(ACCOUNT, at);
        expect({ at, balance: found.balanceMinor, reserved: found.reservedMinor, available: found.availableMinor }).toEqual({ at, balance, reserved, available: balance - reserved });
      }
      const run = await cli('balance', ACCOUNT, '--at', '2026-07-01T10:05:30Z', '--json');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.out)).toMatchObject({ balanceMinor: 10_000, reservedMinor: 730, availableMinor: 9_270, currency: 'PKR', lastEvent: { type: 'FundsReserved', callId: CALL } });
      expect((await cli('balance', ACCOUNT, '--at', 'yesterday')).code).toBe(2);
      expect((await cli('balance', 'no-such-account', '--at', T('10:00'))).code).toBe(3);
    });

    it('audit call shows the events, the evidence, the rate and MATCH', async () => {
      const run = await cli('audit', 'call', CALL);
      expect(run.code).toBe(0);
      expect(run.out).toContain(`Call ${CALL}: MATCH`);
      expect(run.out).toMatch(/CallCompleted\s+system:ari\s+corr-call/);
      expect(run.out).toContain('rated amount: 240 + 10 = 250');
      const json = JSON.parse((await cli('audit', 'call', CALL, '--json')).out);
      expect(json).toMatchObject({ verdict: 'MATCH', ledger: { amountMinor: 250 }, recomputed: { amountMinor: 250, billedSeconds: 120 }, evidence: { cause: 16, billableMs: 61_000 } });
      expect((await cli('audit', 'call', uuid(9999))).code).toBe(3);
    });

    it('exports csv and json, and refuses a bad format', async () => {
      const csv = await cli('export', 'dispute', CALL, '--format', 'csv');
      expect(csv.code).toBe(0);
      expect(csv.out.split('\r\n')[1]).toMatch(new RegExp(`^${CALL},MATCH,\\+923001234567,live,`));
      const json = await cli('export', 'dispute', CALL, '--format', 'json');
      expect(JSON.parse(json.out)).toMatchObject({ kind: 'call', call: { verdict: 'MATCH' } });
      expect((await cli('export', 'dispute', CALL, '--format', 'pdf')).code).toBe(2);
      const account = await cli('export', 'dispute', ACCOUNT, '--format', 'csv', '--from', '2026-07-01', '--to', '2026-07-02');
      expect(account.code).toBe(0);
      expect(account.out.trim().split('\r\n')).toHaveLength(2);
    });

    const noChromium = !existsSync(CHROMIUM);
    if (noChromium) console.log(`dispute report browser test skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium)`);
    it.skipIf(noChromium)('the HTML report renders on its own in headless Chromium and shows what a person needs', async () => {
      const { chromium } = await import('playwright-core');
      const dir = mkdtempSync(join(tmpdir(), 'dispute-'));
      const file = join(dir, 'report.html');
      const run = await cli('export', 'dispute', CALL, '--format', 'html', '--out', file);
      expect(run.code).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).not.toMatch(/<script|<link|src=|url\(/i); // nothing external, no scripts
      expect(html).toContain('Pakistan &#60;mobile&#62;'); // data is escaped
      // A new, empty profile of its own (the user data dir), removed afterwards.
      const browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        viewport: { width: 1200, height: 900 },
        javaScriptEnabled: false,
      });
      try {
        const page = await browser.newPage();
        const requests: string[] = [];
        page.on('request', (request) => requests.push(request.url()));
        await page.goto(pathToFileURL(file).href);
        expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
        expect(await page.locator('[data-field="call-id"]').innerText()).toBe(CALL);
        expect(await page.locator('[data-field="verdict"]').innerText()).toBe('MATCH');
        expect(await page.locator('[data-field="ledger-amount"]').innerText()).toBe('PKR 2.50');
        const rows = await page.locator('[data-field="timeline"] tbody tr').allInnerTexts();
        expect(rows.map((r) => r.split('\t')[1])).toEqual(['CallRequested', 'FundsReserved', 'CallDialing', 'CallAnswered', 'CallCompleted', 'CallCharged', 'ReservationReleased']);
        expect(await page.locator('body').innerText()).toContain('Normal Clearing <ok>');
        // The verdict is shown in green: the stylesheet inside the file applied.
        expect(await page.locator('[data-field="verdict"]').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor)).toBe('rgb(223, 243, 228)');
        if (process.env.WRITE_DOCS === '1') {
          mkdirSync('docs', { recursive: true });
          writeFileSync('docs/dispute-report-sample.html', html);
          await page.screenshot({ path: 'docs/dispute-report.png', fullPage: true });
        }
      } finally {
        await browser.close();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });
}
