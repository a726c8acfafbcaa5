import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../support/databases.ts';
import { ClockedCampaigns, endsOf } from './clocked-campaigns.ts';

/**
 * The dialer obeys the calling hours in the callee's own zone, on the engine's (fake) clock: it
 * stops claiming at the window's end while contacts remain, those contacts wait as pending, and it
 * goes on when the window opens again; across a DST change, across midnight, and for a number whose
 * region spans two zones. The clock only moves forward through the file, as it would in life.
 *
 * Calls that must still be up when the clock is moved play 400 s of audio: 4 s of real time at the
 * simulator's scale, against the few milliseconds the test needs to move the clock after the claim.
 */

for (const backend of testDatabases()) {
  describe(`calling hours on the fake clock (${backend.name})`, () => {
    let t: ClockedCampaigns;
    let longAudio: string;
    beforeAll(async () => {
      t = await ClockedCampaigns.start(backend, '2026-03-07T20:00:00.000Z');
      longAudio = await t.audioOf(400);
    });
    afterAll(async () => t?.close());

    /**
     * Starts a campaign at `start` with a concurrency of one, waits for its first claim, and moves
     * the clock to `stop` while that call is still up: its end is recorded at `stop`, and the next
     * contact must not be claimed then. Returns the campaign id.
     */
    async function dialThenReachTheEnd(body: Record<string, unknown>, start: string, stop: string): Promise<string> {
      t.clock.set(start);
      const id = await t.create({ audio_id: longAudio, concurrent_limit: 1, retry_rules: { max_attempts: 1 }, ...body });
      const [first] = await t.waitForEvents(id, 'ContactAttemptStarted', 1);
      expect(first!.data).toMatchObject({ attempt: 1, at: start });
      t.clock.set(stop);
      const [ended] = await t.waitForEvents(id, 'ContactAttemptEnded', 1);
      // Had the call ended before the clock moved, this test would prove nothing: make sure it did not.
      expect(ended!.data).toMatchObject({ outcome: 'COMPLETED', endedAt: stop });
      await t.settle(id);
      expect(await t.claims(id)).toHaveLength(1);
      return id;
    }

    it('DST: a New York window follows local time across the March change (09:00 EDT is 13:00Z, the day after 18:00 EST was 23:00Z)', async () => {
      const numbers = ['+12122229001', '+12122229002'];
      const id = await dialThenReachTheEnd(
        { contact_list_id: await t.listOf(numbers), schedule: { calling_hours: { start: '09:00', end: '18:00' }, timezone: 'Asia/Karachi' } },
        '2026-03-07T22:55:00.000Z', // Saturday 17:55 EST
        '2026-03-07T23:00:00.000Z', // 18:00 EST
      );
      const [first] = await t.claims(id);
      // 08:59 EDT on Sunday (07:59 on Saturday's offset): shut either way.
      await t.at(id, '2026-03-08T12:59:00.000Z');
      expect(await t.claims(id)).toHaveLength(1);
      const waiting = numbers.find((phone) => phone !== first!.phone)!;
      expect((await t.contacts(id)).get(waiting)).toMatchObject({ state: 'pending', attempts: [] });
      // 09:00 EDT. A window kept on Saturday's UTC offset would open only at 14:00Z.
      await t.at(id, '2026-03-08T13:00:00.000Z');
      const claims = await t.waitForEvents(id, 'ContactAttemptStarted', 2);
      expect(claims[1]!.data).toMatchObject({ attempt: 1, at: '2026-03-08T13:00:00.000Z' });
      const done = await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
      expect(done.statistics.totals).toMatchObject({ contacts: 2, completed: 2, failed: 0, pending: 0 });
    }, 60_000);

    it("Karachi 09:00–18:00 in the callee's zone: calls go out at 17:55, none is claimed from 18:00 though contacts remain, and they resume at 09:00 the next day", async () => {
      const numbers = ['+923001129001', '+923001129002', '+923001129003'];
      // The campaign's own zone is New York: the Pakistani numbers' zone (Asia/Karachi, UTC+5, no DST) is what counts.
      const id = await dialThenReachTheEnd(
        {
          contact_list_id: await t.listOf(numbers),
          schedule: { calling_hours: { start: '09:00', end: '18:00' }, timezone: 'America/New_York' },
        },
        '2026-06-10T12:55:00.000Z', // Wednesday 17:55 in Karachi
        '2026-06-10T13:00:00.000Z', // 18:00
      );
      const enrolled = (await t.events(id)).find((event) => event.type === 'CampaignContactsEnrolled')!.data as any;
      expect(enrolled.contacts.map((c: any) => [c.zones, c.zoneSource])).toEqual(numbers.map(() => [['Asia/Karachi'], 'number']));

      // Through the night: nothing is claimed, and the waiting contacts are pending, not failed.
      for (const instant of ['2026-06-10T18:00:00.000Z', '2026-06-11T00:00:00.000Z', '2026-06-11T03:59:59.999Z']) {
        await t.at(id, instant);
        expect(await t.claims(id), instant).toHaveLength(1);
      }
      const night = await t.waitForCampaign(id, 'the first call in the read model', (c) => c.statistics.totals.completed === 1);
      expect(night.status).toBe('running');
      expect(night.statistics.totals).toMatchObject({ pending: 2, failed: 0, in_progress: 0, retry_scheduled: 0 });
      // Contacts added to a list together are dialled in contact-id order, so which one went first is not fixed.
      const first = (await t.claims(id))[0]!.phone;
      const waiting = await t.contacts(id);
      expect(numbers.map((phone) => waiting.get(phone)!.state)).toEqual(numbers.map((phone) => (phone === first ? 'completed' : 'pending')));

      // 09:00 in Karachi: the rest are dialled, one after the other (concurrency 1), on the same morning.
      await t.at(id, '2026-06-11T04:00:00.000Z');
      const done = await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
      const claims = await t.claims(id);
      expect(claims.map((claim) => claim.phone).sort()).toEqual(numbers);
      expect(claims.slice(1).map((claim) => claim.at)).toEqual(['2026-06-11T04:00:00.000Z', '2026-06-11T04:00:00.000Z']);
      expect(done.statistics.totals).toMatchObject({ contacts: 3, completed: 3, failed: 0 });
      expect(done.statistics.attempts).toBe(3);
    }, 60_000);

    it('a window across midnight (20:00–02:00): stops at 02:00, opens at 20:00, and runs on past the next midnight', async () => {
      const numbers = ['+923001129101', '+923001129102', '+923001129103'];
      const id = await dialThenReachTheEnd(
        { contact_list_id: await t.listOf(numbers), schedule: { calling_hours: { start: '20:00', end: '02:00' } } },
        '2026-06-11T20:55:00.000Z', // Friday 01:55 in Karachi: Thursday's window
        '2026-06-11T21:00:00.000Z', // 02:00
      );
      await t.at(id, '2026-06-12T14:59:00.000Z'); // 19:59
      expect(await t.claims(id)).toHaveLength(1);
      // 20:00: the second contact; its call is still up when the clock reaches 00:30, past midnight.
      t.clock.set('2026-06-12T15:00:00.000Z');
      const second = await t.waitForEvents(id, 'ContactAttemptStarted', 2);
      expect(second[1]!.data).toMatchObject({ at: '2026-06-12T15:00:00.000Z' });
      t.clock.set('2026-06-12T19:30:00.000Z'); // Saturday 00:30: still Friday's window
      const third = await t.waitForEvents(id, 'ContactAttemptStarted', 3);
      expect(third[2]!.data).toMatchObject({ at: '2026-06-12T19:30:00.000Z' });
      expect(endsOf(await t.events(id)).map((end) => end.endedAt).slice(0, 2)).toEqual(['2026-06-11T21:00:00.000Z', '2026-06-12T19:30:00.000Z']);
      await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
    }, 60_000);

    it('a number whose region spans two zones waits for the later one to open; a one-zone number beside it does not', async () => {
      // +1 701 (North Dakota) lies in America/North_Dakota/Center and America/Denver; +1 312 is Chicago's alone.
      // (The phone-zone data ships no US prefix in both New York and Chicago; Central against Mountain shows the same rule.)
      const dakota = '+17012019001';
      const chicago = '+13122229001';
      // A toll-free number maps to every zone from Guam to Newfoundland, which no window fits: it is judged in the campaign's zone.
      const tollFree = '+18002229001';
      t.clock.set('2026-07-15T14:00:00.000Z'); // Wednesday 09:00 CDT = 08:00 MDT = 07:00 PDT
      const id = await t.create({
        contact_list_id: await t.listOf([dakota, chicago, tollFree]),
        concurrent_limit: 3,
        retry_rules: { max_attempts: 1 },
        schedule: { calling_hours: { start: '09:00', end: '18:00' }, timezone: 'America/Los_Angeles' },
      });
      const enrolled = (await t.events(id)).find((event) => event.type === 'CampaignContactsEnrolled')!.data as any;
      const zonesOf = (phone: string) => enrolled.contacts.find((c: any) => c.phone === phone);
      expect(zonesOf(dakota)).toMatchObject({ zones: ['America/Denver', 'America/North_Dakota/Center'], zoneSource: 'number' });
      expect(zonesOf(chicago)).toMatchObject({ zones: ['America/Chicago'], zoneSource: 'number' });
      expect(zonesOf(tollFree)).toMatchObject({ zones: ['America/Los_Angeles'], zoneSource: 'campaign' });

      await t.waitForEvents(id, 'ContactAttemptStarted', 1);
      await t.settle(id);
      expect((await t.claims(id)).map((claim) => claim.phone)).toEqual([chicago]);
      // 09:59 Central, 08:59 Mountain: North Dakota's Central half is open, its Mountain half is not.
      await t.at(id, '2026-07-15T14:59:00.000Z');
      expect((await t.claims(id)).map((claim) => claim.phone)).toEqual([chicago]);
      expect((await t.contacts(id)).get(dakota)).toMatchObject({ state: 'pending', attempts: [] });
      // 09:00 Mountain.
      await t.at(id, '2026-07-15T15:00:00.000Z');
      expect((await t.claims(id)).map((claim) => [claim.phone, claim.at])).toEqual([
        [chicago, '2026-07-15T14:00:00.000Z'],
        [dakota, '2026-07-15T15:00:00.000Z'],
      ]);
      // 09:00 Pacific, the campaign's zone, for the toll-free number.
      await t.at(id, '2026-07-15T15:59:00.000Z');
      expect(await t.claims(id)).toHaveLength(2);
      await t.at(id, '2026-07-15T16:00:00.000Z');
      expect((await t.claims(id)).at(-1)).toMatchObject({ phone: tollFree, at: '2026-07-15T16:00:00.000Z' });
      await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
    }, 60_000);

    it('DST: in November the New York window opens at 14:00Z, not at 13:00Z (09:00 on the summer offset)', async () => {
      const number = '+12122229101';
      t.clock.set('2026-11-01T12:30:00.000Z'); // Sunday 07:30 EST, an hour after the clocks went back
      const id = await t.create({
        contact_list_id: await t.listOf([number]),
        retry_rules: { max_attempts: 1 },
        schedule: { calling_hours: { start: '09:00', end: '18:00' } },
      });
      await t.settle(id);
      for (const instant of ['2026-11-01T13:00:00.000Z', '2026-11-01T13:59:59.999Z']) {
        await t.at(id, instant);
        expect(await t.claims(id), instant).toHaveLength(0);
      }
      expect((await t.contacts(id)).get(number)).toMatchObject({ state: 'pending' });
      await t.at(id, '2026-11-01T14:00:00.000Z');
      expect(await t.claims(id)).toMatchObject([{ phone: number, attempt: 1, at: '2026-11-01T14:00:00.000Z' }]);
      await t.waitForCampaign(id, 'completed', (c) => c.status === 'completed');
    }, 60_000);
  });
}
