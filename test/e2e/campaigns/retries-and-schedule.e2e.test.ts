import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../support/databases.ts';
import { ClockedCampaigns, endsOf } from './clocked-campaigns.ts';

/**
 * Retry delays and scheduled starts are counted on the engine's clock: nothing happens until the
 * fake clock says so, and then it happens by itself (the dialer polls; the test only waits).
 */

const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

for (const backend of testDatabases()) {
  describe(`retries and scheduled starts on the fake clock (${backend.name})`, () => {
    let t: ClockedCampaigns;
    beforeAll(async () => {
      t = await ClockedCampaigns.start(backend, '2026-04-01T09:00:00.000Z');
    });
    afterAll(async () => t?.close());

    it('a busy number with {max_attempts: 3, delay_minutes: 30} is tried exactly 3 times, each 30 minutes after the previous end', async () => {
      const busy = '+923001120486';
      const start = '2026-04-01T10:00:00.000Z';
      t.clock.set(start);
      const id = await t.create({
        contact_list_id: await t.listOf([busy]),
        retry_rules: { max_attempts: 3, delay_minutes: 30 },
      });

      for (let attempt = 1; attempt <= 3; attempt++) {
        const claimedAt = at(start, 30 * (attempt - 1));
        const claims = await t.waitForEvents(id, 'ContactAttemptStarted', attempt);
        expect(claims).toHaveLength(attempt);
        expect(claims[attempt - 1]!.data).toMatchObject({ attempt, at: claimedAt });
        // The clock stands still until the end is recorded, so the end is at the claim's instant.
        const ends = endsOf(await t.waitForEvents(id, 'ContactAttemptEnded', attempt));
        expect(ends[attempt - 1]).toMatchObject({ attempt, outcome: 'BUSY', endedAt: claimedAt });
        if (attempt === 3) break;
        const [retry] = (await t.waitForEvents(id, 'ContactRetryScheduled', attempt)).slice(-1);
        expect(retry!.data).toMatchObject({ nextAttempt: attempt + 1, retryAt: at(claimedAt, 30) });
        await t.waitForContact(id, busy, 'retry_scheduled');
        // 29 minutes on: not yet.
        await t.at(id, at(claimedAt, 29));
        await t.at(id, at(claimedAt, 29.99));
        expect(await t.claims(id)).toHaveLength(attempt);
        // 30 minutes on: the next attempt, claimed by the dialer's own poll.
        t.clock.set(at(claimedAt, 30));
      }

      const [completed] = await t.waitForEvents(id, 'ContactCompleted', 1);
      expect(completed!.data).toMatchObject({ outcome: 'BUSY', attempts: 3 });
      // Nothing more, however long one waits.
      await t.at(id, at(start, 60 + 30));
      await t.at(id, at(start, 60 * 24));
      expect(await t.claims(id)).toHaveLength(3);
      const done = await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
      expect(done.statistics.totals).toMatchObject({ contacts: 1, busy: 1, completed: 0, failed: 0, retry_scheduled: 0 });
      expect(done.statistics.attempts).toBe(3);
      const contact = await t.waitForContact(id, busy, 'busy');
      expect(contact.attempts.map((a: any) => [a.attempt, a.outcome, a.started_at])).toEqual([
        [1, 'busy', start],
        [2, 'busy', at(start, 30)],
        [3, 'busy', at(start, 60)],
      ]);
    }, 60_000);

    it('a campaign with a start date ahead stays scheduled until the clock reaches it, then starts by itself', async () => {
      const number = '+923001129201';
      const startDate = '2026-04-02T09:00:00.000Z';
      t.clock.set('2026-04-02T08:00:00.000Z');
      const id = await t.create({ contact_list_id: await t.listOf([number]), schedule: { start_date: startDate } });
      const scheduled = await t.campaign(id);
      expect(scheduled).toMatchObject({ status: 'scheduled', scheduled_for: startDate, started_at: null });
      expect((await t.events(id)).map((event) => event.type)).toContain('CampaignScheduled');

      for (const instant of ['2026-04-02T08:30:00.000Z', '2026-04-02T08:59:59.999Z']) {
        await t.at(id, instant);
        const events = await t.events(id);
        expect(events.filter((event) => event.type === 'CampaignStarted'), instant).toHaveLength(0);
        expect(events.filter((event) => event.type === 'ContactAttemptStarted'), instant).toHaveLength(0);
      }
      expect((await t.campaign(id)).status).toBe('scheduled');

      // No one calls /start: the dialer's poll notices the start date on the clock.
      t.clock.set(startDate);
      const [started] = await t.waitForEvents(id, 'CampaignStarted', 1);
      expect(started!.data).toMatchObject({ trigger: 'schedule', at: startDate });
      const [claim] = await t.waitForEvents(id, 'ContactAttemptStarted', 1);
      expect(claim!.data).toMatchObject({ attempt: 1, at: startDate });
      const done = await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
      expect(done).toMatchObject({ started_at: startDate });
      expect(done.statistics.totals.completed).toBe(1);
    }, 60_000);
  });
}
