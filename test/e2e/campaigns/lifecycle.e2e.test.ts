import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { createTenant, startFrontDoorEngine, type FrontDoorEngine } from '../front-door/support.ts';
import { bearer, CAMPAIGN_ENV, campaignContacts, campaignEvents, getCampaign, uploadReadyAudio, waitForStatus } from './support.ts';

/**
 * A campaign's life through the API: OutboundCalls.ai's JSON create naming a contact list, the four
 * lifecycle actions and their refusals, what a pause does to the dialer, the audio it holds on to,
 * and what another tenant sees of it (nothing).
 */

const LIFECYCLE_EVENTS = new Set(['CampaignCreated', 'CampaignScheduled', 'CampaignStarted', 'CampaignPaused', 'CampaignResumed', 'CampaignCancelled', 'CampaignCompleted']);

for (const backend of testDatabases()) {
  describe(`campaign lifecycle on ${backend.name}`, () => {
    let running: FrontDoorEngine;
    const app = () => running.engine.app;
    const auth = () => bearer(running.apiKey);

    beforeAll(async () => {
      running = await startFrontDoorEngine(await backend.open(), CAMPAIGN_ENV);
    });
    afterAll(async () => running?.close());

    /** Contacts made one by one and gathered into a new list, as an OutboundCalls.ai client would. */
    async function contactList(name: string, phones: string[], key = running.apiKey): Promise<string> {
      const ids: string[] = [];
      for (const [i, phone] of phones.entries()) {
        const made = await request(app()).post('/api/v1/contacts').set(bearer(key)).send({ name: `${name} ${i + 1}`, phone });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
        ids.push(made.body.id);
      }
      const list = await request(app()).post('/api/v1/contact-lists').set(bearer(key)).send({ name });
      expect(list.status, JSON.stringify(list.body)).toBe(201);
      const added = await request(app()).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(bearer(key)).send({ contact_ids: ids });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      expect(added.body.contact_count).toBe(phones.length);
      return list.body.id;
    }

    const act = (id: string, action: string, key = running.apiKey) => request(app()).post(`/api/v1/campaigns/${id}/${action}`).set(bearer(key));

    async function expectTransition(id: string, action: string, status: string) {
      const res = await act(id, action);
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.status).toBe(status);
    }

    async function expectRefused(id: string, action: string, status: string) {
      const res = await act(id, action);
      expect(res.status, `${action} when ${status}: ${JSON.stringify(res.body)}`).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'INVALID_STATE_TRANSITION', details: { campaign_id: id, status } });
    }

    const lifecycleOf = async (id: string) =>
      (await campaignEvents(running.engine.store, id)).filter((event) => LIFECYCLE_EVENTS.has(event.type));

    const deleteAudio = (audioId: string, key = running.apiKey) => request(app()).delete(`/api/v1/audio/${audioId}`).set(bearer(key));

    it("takes OutboundCalls.ai's example through draft, start, pause, resume and cancel, refusing what is illegal", async () => {
      const audioId = await uploadReadyAudio(running);
      // Busy and unanswered numbers: inside the example's calling hours (wall-clock London) they are
      // dialled, and their retries wait an hour, so the campaign cannot complete under the test.
      const listId = await contactList('Q1 leads', ['+923001210486', '+923001210408', '+923001220408']);
      const lists = await request(app()).get('/api/v1/contact-lists').set(auth());
      expect(lists.body.data.map((list: any) => list.id)).toContain(listId);

      // The documented body, with audio_id for agent_id and start:false to keep it a draft.
      const created = await request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .send({
          name: 'Q1 Sales Outreach',
          audio_id: audioId,
          contact_list_id: listId,
          schedule: { start_date: '2026-03-25', calling_hours: { start: '09:00', end: '18:00' }, timezone: 'Europe/London' },
          retry_rules: { max_attempts: 3, delay_minutes: 60 },
          concurrent_calls: 20,
          start: false,
        });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id: string = created.body.id;
      expect(created.body).toMatchObject({
        status: 'draft',
        name: 'Q1 Sales Outreach',
        audio_id: audioId,
        contact_list_id: listId,
        import_id: null,
        concurrent_limit: 20,
        max_attempts: 3,
        max_retries: 2,
        retry_delay_minutes: 60,
        // London is on GMT in March before the clocks change: local midnight is 00:00Z.
        schedule: { start_date: '2026-03-25T00:00:00.000Z', calling_hours: { start: '09:00', end: '18:00' }, timezone: 'Europe/London' },
        started_at: null,
      });
      expect(created.body.statistics.totals).toMatchObject({ contacts: 3, pending: 3 });
      expect(created.body.statistics.attempts).toBe(0);
      expect(created.body).not.toHaveProperty('concurrent_calls');

      await expectRefused(id, 'pause', 'draft');
      await expectRefused(id, 'resume', 'draft');
      // The start date has passed, so starting runs it at once.
      await expectTransition(id, 'start', 'running');
      // Asking for the state it is already in changes nothing: a retried request is safe.
      await expectTransition(id, 'start', 'running');
      await expectTransition(id, 'resume', 'running');
      expect((await deleteAudio(audioId)).body.error).toMatchObject({ code: 'AUDIO_IN_USE' });

      await expectTransition(id, 'pause', 'paused');
      const paused = await getCampaign(running, id);
      expect(paused).toMatchObject({ pause_reason: 'user' });
      expect(paused.paused_at).not.toBeNull();
      await expectTransition(id, 'pause', 'paused');
      await expectRefused(id, 'start', 'paused');
      const inUse = await deleteAudio(audioId);
      expect(inUse.status, JSON.stringify(inUse.body)).toBe(409);
      expect(inUse.body.error.code).toBe('AUDIO_IN_USE');

      await expectTransition(id, 'resume', 'running');
      await expectTransition(id, 'cancel', 'cancelled');
      expect((await getCampaign(running, id)).cancelled_at).not.toBeNull();
      await expectTransition(id, 'cancel', 'cancelled');
      await expectRefused(id, 'start', 'cancelled');
      await expectRefused(id, 'resume', 'cancelled');
      await expectRefused(id, 'pause', 'cancelled');

      // Every transition is one event on the campaign's stream, by the caller, in order.
      const lifecycle = await lifecycleOf(id);
      expect(lifecycle.map((event) => event.type)).toEqual(['CampaignCreated', 'CampaignStarted', 'CampaignPaused', 'CampaignResumed', 'CampaignCancelled']);
      for (const event of lifecycle) {
        expect(event.metadata.tenantId).toBe(running.accountId);
        expect(event.metadata.actor).toEqual(expect.any(String));
        expect(event.metadata.correlationId).toEqual(expect.any(String));
      }
      expect(lifecycle[2]!.data).toMatchObject({ campaignId: id, reason: 'user' });

      // Cancelled, it no longer holds its audio.
      const deleted = await deleteAudio(audioId);
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(204);
    }, 40_000);

    it('stops claiming contacts while paused, and picks up where it left off on resume', async () => {
      const audioId = await uploadReadyAudio(running);
      const phones = ['+923001310220', '+923001310221', '+923001310222', '+923001310223'];
      const listId = await contactList('Slow answerers', phones);
      const created = await request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .send({ name: 'One at a time', audio_id: audioId, contact_list_id: listId, concurrent_calls: 1, retry_rules: { max_attempts: 1 }, start: true });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id: string = created.body.id;
      const claims = async () => (await campaignEvents(running.engine.store, id)).filter((event) => event.type === 'ContactAttemptStarted');

      await poll('the first claim', async () => (await claims()).length > 0);
      await expectTransition(id, 'pause', 'paused');
      // The call already out finishes; no other goes out.
      const settled = await poll('the paused campaign idle', async () => {
        const campaign = await getCampaign(running, id);
        return campaign.statistics.in_flight === 0 && campaign.statistics.totals.in_progress === 0 ? campaign : null;
      });
      const claimedBeforePause = (await claims()).length;
      expect(claimedBeforePause).toBe(1);
      expect(settled.statistics.totals).toMatchObject({ contacts: 4, completed: 1, pending: 3 });
      expect((await deleteAudio(audioId)).status).toBe(409);

      // Give the dialer many polls to misbehave in: run another campaign to its end meanwhile.
      const otherAudio = await uploadReadyAudio(running);
      const otherList = await contactList('Quick ones', ['+923001410001', '+923001410002', '+923001410003']);
      const other = await request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .send({ name: 'Meanwhile', audio_id: otherAudio, contact_list_id: otherList, concurrent_calls: 1, start: true });
      expect(other.status, JSON.stringify(other.body)).toBe(201);
      await waitForStatus(running, other.body.id, 'completed');

      expect((await claims()).length).toBe(claimedBeforePause);
      expect((await getCampaign(running, id)).status).toBe('paused');

      await expectTransition(id, 'resume', 'running');
      const done = await waitForStatus(running, id, 'completed');
      expect(done.statistics.totals).toMatchObject({ contacts: 4, completed: 4, pending: 0 });
      expect(done.statistics.attempts).toBe(4);
      const contacts = await campaignContacts(running, id);
      expect(contacts.map((contact) => contact.attempts.length)).toEqual([1, 1, 1, 1]);
      // Claims went one at a time: each started after the one before it ended.
      const events = await campaignEvents(running.engine.store, id);
      let open = 0;
      for (const event of events) {
        if (event.type === 'ContactAttemptStarted') open++;
        if (event.type === 'ContactAttemptEnded') open--;
        expect(open).toBeLessThanOrEqual(1);
      }
      expect((await lifecycleOf(id)).map((event) => event.type)).toEqual(['CampaignCreated', 'CampaignStarted', 'CampaignPaused', 'CampaignResumed', 'CampaignCompleted']);
      // Completed, the audio is free again.
      expect((await deleteAudio(audioId)).status).toBe(204);
    }, 50_000);

    it("keeps a campaign, its audio and its contact list out of another tenant's reach", async () => {
      const audioId = await uploadReadyAudio(running);
      const listId = await contactList('Private list', ['+923001510220']);
      const created = await request(app())
        .post('/api/v1/campaigns')
        .set(auth())
        .send({ name: 'Private', audio_id: audioId, contact_list_id: listId, start: false });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id: string = created.body.id;
      const eventsBefore = (await campaignEvents(running.engine.store, id)).length;

      const other = await createTenant(running, 'Other Co', { email: 'owner@other.example', password: 'correct horse battery staple' });
      const key = other.ownerKey;
      const notFound = (res: request.Response, code = 'CAMPAIGN_NOT_FOUND') => {
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body.error.code).toBe(code);
      };
      notFound(await request(app()).get(`/api/v1/campaigns/${id}`).set(bearer(key)));
      notFound(await request(app()).get(`/api/v1/campaigns/${id}/contacts`).set(bearer(key)));
      for (const action of ['start', 'pause', 'resume', 'cancel']) notFound(await act(id, action, key));
      const theirs = await request(app()).get('/api/v1/campaigns').set(bearer(key));
      expect(theirs.status).toBe(200);
      expect(theirs.body.data).toEqual([]);
      // Nothing they asked for happened.
      expect((await campaignEvents(running.engine.store, id)).length).toBe(eventsBefore);
      expect((await getCampaign(running, id)).status).toBe('draft');

      // The first tenant's audio and list cannot be named in theirs.
      const ownAudio = await uploadReadyAudio(running, key);
      const ownList = await contactList('Their list', ['+923001610220'], key);
      const withForeignAudio = await request(app())
        .post('/api/v1/campaigns')
        .set(bearer(key))
        .send({ name: 'Borrowed audio', audio_id: audioId, contact_list_id: ownList });
      notFound(withForeignAudio, 'AUDIO_NOT_FOUND');
      expect(withForeignAudio.body.error.details).toMatchObject({ field: 'audio_id' });
      const withForeignList = await request(app())
        .post('/api/v1/campaigns')
        .set(bearer(key))
        .send({ name: 'Borrowed list', audio_id: ownAudio, contact_list_id: listId });
      notFound(withForeignList, 'CONTACT_LIST_NOT_FOUND');
      expect(withForeignList.body.error.details).toMatchObject({ field: 'contact_list_id' });
      expect((await request(app()).get('/api/v1/campaigns').set(bearer(key))).body.data).toEqual([]);
      // Nor delete it.
      expect((await deleteAudio(audioId, key)).status).toBe(404);
    }, 30_000);
  });
}
