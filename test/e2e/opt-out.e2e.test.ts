import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/shared/clock.ts';
import { callStream, dncStream } from '../../src/domain/shared/streams.ts';
import { wav } from '../support/audio-fixtures.ts';
import { testDatabases } from '../support/databases.ts';
import { poll } from '../support/poll.ts';
import { startTestEngine, waitForCall, type RunningEngine } from './support/engine.ts';

/**
 * Opt-out by keypress on the whole engine (ARI simulator telephony), on every database backend.
 * The simulator's ...07DD numbers press the digits DD once answered. A call whose opt-out digit is
 * pressed records OptOutRequested, hangs up, and puts the number on the tenant's do-not-call list
 * (source keypress, naming the call); after that the number is refused at POST /calls, skipped at a
 * campaign's next attempt, and skipped when a later campaign enrolls it.
 */

/** Real time that a test can move forward: a campaign's retry comes due without waiting for it. */
class JumpableClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

for (const backend of testDatabases()) {
  describe(`opt-out by keypress on ${backend.name}`, () => {
    let running: RunningEngine;
    const clock = new JumpableClock();
    const app = () => running.engine.app;
    const auth = () => ({ Authorization: `Bearer ${running.apiKey}` });
    const typesOf = async (callId: string) => (await running.engine.store.readStream(callStream(callId))).map((event) => event.type);
    const dncCheck = (phone: string) => request(app()).get(`/api/v1/compliance/dnc?phone=${encodeURIComponent(phone)}`).set(auth());
    const listedBy = (phone: string) => poll(`${phone} on the list`, async () => {
      const found = await dncCheck(phone);
      return found.body.listed === true ? found.body : null;
    });
    const campaign = (name: string, audioId: string, phones: string[], fields: Record<string, string>) => {
      const req = request(app()).post('/api/v1/campaigns').set(auth()).field('name', name).field('audio_id', audioId);
      for (const [field, value] of Object.entries(fields)) req.field(field, value);
      return req.attach('csv_file', Buffer.from(`phone_number\n${phones.join('\n')}\n`), 'contacts.csv');
    };
    const contactsOf = async (campaignId: string) =>
      (await request(app()).get(`/api/v1/campaigns/${campaignId}/contacts`).set(auth())).body.data as Array<Record<string, any>>;
    const contactOf = async (campaignId: string, phone: string) => (await contactsOf(campaignId)).find((contact) => contact.phone === phone);
    const campaignOf = async (campaignId: string) => (await request(app()).get(`/api/v1/campaigns/${campaignId}`).set(auth())).body;

    let server: Server | undefined;

    beforeAll(async () => {
      running = await startTestEngine(await backend.open(), { clock, env: { CAMPAIGN_POLL_MS: '50' } });
      // A real listener, so the simulator fetches the broadcast as Asterisk would. Without one the
      // playback fails at once and the engine hangs up, racing the callee's keypress.
      server = createServer((req, res) => running.engine.app(req, res));
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      running.engine.audio.setListenUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await running?.close();
    });

    it('a single call: pressing its opt-out digit records OptOutRequested, hangs up, lists the number for the call, and the next call is 451', async () => {
      const phone = '+923001230799';
      const placed = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: phone, opt_out_digit: '9' });
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const callId = placed.body.id;
      const ended = await waitForCall(running.engine, running.apiKey, callId, (body) => body.status === 'COMPLETED');
      expect(ended.status).toBe('COMPLETED');

      const types = await typesOf(callId);
      // The callee presses 9 twice: one opt-out, one hangup request, whatever the second press found.
      expect(types.filter((type) => type === 'OptOutRequested')).toHaveLength(1);
      expect(types.filter((type) => type === 'HangupRequested')).toHaveLength(1);
      expect(types.indexOf('DtmfReceived')).toBeLessThan(types.indexOf('OptOutRequested'));
      expect(types.indexOf('OptOutRequested')).toBeLessThan(types.indexOf('HangupRequested'));
      expect(types.at(-1)).toBe('CallCompleted');
      const stream = await running.engine.store.readStream(callStream(callId));
      const requested = stream.find((event) => event.type === 'CallRequested')!;
      expect(requested.data).toMatchObject({ optOutDigit: '9' });
      const optOut = stream.find((event) => event.type === 'OptOutRequested')!;
      expect(optOut.data).toEqual({ callId, digit: '9', at: expect.any(String) });
      expect(stream.find((event) => event.type === 'HangupRequested')!.data).toMatchObject({ reason: 'callee opted out' });

      const listed = await listedBy(phone);
      expect(listed).toMatchObject({ phone, listed: true, scope: 'tenant', source: 'keypress', call_id: callId });
      const dncEvents = await running.engine.store.readStream(dncStream(running.accountId));
      const added = dncEvents.filter((event) => (event.data as { callId?: string }).callId === callId);
      expect(added).toHaveLength(1);
      expect(added[0]!.metadata).toMatchObject({ actor: 'system:opt-out', causationId: optOut.metadata.eventId, correlationId: optOut.metadata.correlationId });

      // A redelivered OptOutRequested (a replay, a second process) lists nothing again.
      await running.engine.compliance.optOuts.optOut(optOut);
      expect(await running.engine.store.readStream(dncStream(running.accountId))).toHaveLength(dncEvents.length);

      const again = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: phone, opt_out_digit: '9' });
      expect(again.status, JSON.stringify(again.body)).toBe(451);
      expect(again.body.error).toMatchObject({ code: 'DNC_LISTED', details: { scope: 'tenant', phone } });
    });

    it('a digit that is not the opt-out digit, or a call with none, opts nobody out', async () => {
      const other = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230798', opt_out_digit: '#' });
      const none = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001250799' });
      expect([other.status, none.status]).toEqual([201, 201]);
      for (const id of [other.body.id, none.body.id]) {
        await waitForCall(running.engine, running.apiKey, id, (body) => body.status === 'COMPLETED');
        const types = await typesOf(id);
        expect(types.filter((type) => type === 'DtmfReceived')).toHaveLength(2);
        expect(types).not.toContain('OptOutRequested');
        expect(types).not.toContain('HangupRequested');
      }
      expect((await dncCheck('+923001230798')).body.listed).toBe(false);
      expect((await dncCheck('+923001250799')).body.listed).toBe(false);
    });

    it('refuses an opt-out digit that is not a phone key, in a call and in a campaign', async () => {
      for (const digit of ['A', '99', '', 9]) {
        const refused = await request(app()).post('/api/v1/calls').set(auth()).send({ phone_number: '+923001230101', opt_out_digit: digit });
        expect(refused.status, JSON.stringify(refused.body)).toBe(422);
        expect(refused.body.error.details.issues[0].path).toContain('opt_out_digit');
      }
      const refused = await campaign('Bad key', 'no-audio', ['+923001230101'], { opt_out_digit: 'x' });
      expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    });

    it('campaigns: an opt-out while a retry is pending skips the next attempt (dnc); a campaign call opts out too; a later campaign skips the number at enrollment', async () => {
      const audio = await request(app()).post('/api/v1/audio').set(auth()).attach('file', wav({ seconds: 5 }), 'a.wav');
      expect(audio.status, JSON.stringify(audio.body)).toBe(201);
      const phone = '+923001240799';

      // Campaign 1: its first attempt meets a congested trunk, so a retry is scheduled a minute out.
      running.simulator.setCallRateLimit({ maxCalls: 0, windowMs: 60_000 });
      const first = await campaign('Retry pending', audio.body.id, [phone], { max_retries: '1', retry_delay_minutes: '1', opt_out_digit: '9' });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body.opt_out_digit).toBe('9');
      const pending = await poll('a retry scheduled', async () => {
        const contact = await contactOf(first.body.id, phone);
        return contact?.state === 'retry_scheduled' ? contact : null;
      });
      expect(pending.attempts).toMatchObject([{ outcome: 'congestion' }]);
      running.simulator.setCallRateLimit(null);

      // Campaign 2 calls the same number with an opt-out key; the callee presses it.
      const second = await campaign('Opt-out key', audio.body.id, [phone], { max_retries: '0', opt_out_digit: '9' });
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      const completed = await poll('campaign 2 completed', async () => {
        const body = await campaignOf(second.body.id);
        return body.status === 'completed' ? body : null;
      }, 30_000);
      expect(completed.statistics.totals.completed).toBe(1);
      const [reached] = await contactsOf(second.body.id);
      const optOutCall = reached!.attempts[0].call_id;
      expect(await typesOf(optOutCall)).toContain('OptOutRequested');
      expect(await listedBy(phone)).toMatchObject({ source: 'keypress', call_id: optOutCall });

      // Campaign 1's retry comes due: the number is now listed, so the attempt is skipped, not dialled.
      clock.advance(61_000);
      const skipped = await poll('campaign 1 skipped the contact', async () => {
        const contact = await contactOf(first.body.id, phone);
        return contact?.state === 'skipped' ? contact : null;
      }, 30_000);
      expect(skipped.skip_reason).toBe('dnc');
      expect(skipped.attempts).toHaveLength(1);
      const done = await poll('campaign 1 completed', async () => {
        const body = await campaignOf(first.body.id);
        return body.status === 'completed' ? body : null;
      });
      expect(done.statistics.totals.skipped.by_reason).toMatchObject({ dnc: 1 });

      // A later campaign with that number skips it when it enrolls, and calls the others.
      const other = '+923001240101';
      const third = await campaign('Later', audio.body.id, [phone, other], { max_retries: '0' });
      expect(third.status, JSON.stringify(third.body)).toBe(201);
      const finished = await poll('campaign 3 completed', async () => {
        const body = await campaignOf(third.body.id);
        return body.status === 'completed' ? body : null;
      }, 30_000);
      expect(finished.statistics.totals.skipped.by_reason).toMatchObject({ dnc: 1 });
      expect(await contactOf(third.body.id, phone)).toMatchObject({ state: 'skipped', skip_reason: 'dnc', attempts: [] });
      expect((await contactOf(third.body.id, other))!.attempts).toHaveLength(1);
    }, 90_000);
  });
}
