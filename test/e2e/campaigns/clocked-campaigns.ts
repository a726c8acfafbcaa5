import request from 'supertest';
import { expect } from 'vitest';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import type { RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { campaignStream } from '../../../src/domain/shared/streams.ts';
import { wav } from '../../support/audio-fixtures.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { poll } from '../../support/poll.ts';
import { startTestEngine, type RunningEngine } from '../support/engine.ts';
import { bearer } from './support.ts';

/**
 * The whole engine on a ManualClock, with what the fake-clock campaign tests need to drive it: the
 * engine decides claims, windows, retries and start dates on that clock, while the simulator answers
 * in (scaled) real time. Tests never sleep: they move the clock, then wait on the campaign's own
 * stream or make the dialer take a look (`settle`) and read what it decided.
 */

export type Claim = { contactId: string; phone: string; attempt: number; callId: string; at: string };

export class ClockedCampaigns {
  private constructor(
    readonly running: RunningEngine,
    readonly clock: ManualClock,
    readonly audioId: string,
  ) {}

  /** `start` is when the engine's clock begins; keep each file's times moving forward from it. */
  static async start(backend: TestDatabase, start: string, env: NodeJS.ProcessEnv = {}): Promise<ClockedCampaigns> {
    const clock = new ManualClock(start);
    const running = await startTestEngine(await backend.open(), { clock, env: { CAMPAIGN_POLL_MS: '20', ...env } });
    // Three seconds of audio is 30 ms of call at the simulator's scale; tests that need a call to stay up longer upload their own.
    return new ClockedCampaigns(running, clock, await uploadAudio(running, 3, running.apiKey));
  }

  get app() {
    return this.running.engine.app;
  }

  close(): Promise<void> {
    return this.running.close();
  }

  /** An audio file whose playback keeps an answered call up for about `seconds / 100` real seconds. */
  audioOf(seconds: number, apiKey = this.running.apiKey): Promise<string> {
    return uploadAudio(this.running, seconds, apiKey);
  }

  /** A contact list holding one new contact per entry, in order. */
  async listOf(contacts: ReadonlyArray<string | { phone: string; time_zone: string }>, apiKey = this.running.apiKey): Promise<string> {
    const auth = bearer(apiKey);
    const list = await request(this.app).post('/api/v1/contact-lists').set(auth).send({ name: `list ${crypto.randomUUID()}` });
    expect(list.status, JSON.stringify(list.body)).toBe(201);
    const ids: string[] = [];
    for (const entry of contacts) {
      const fields = typeof entry === 'string' ? { phone: entry } : entry;
      const created = await request(this.app).post('/api/v1/contacts').set(auth).send({ name: fields.phone, ...fields });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids.push(created.body.id);
    }
    const added = await request(this.app).post(`/api/v1/contact-lists/${list.body.id}/contacts`).set(auth).send({ contact_ids: ids });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    return list.body.id;
  }

  /** POST /campaigns with OutboundCalls.ai's JSON; `start` defaults to true. */
  async create(body: Record<string, unknown>, apiKey = this.running.apiKey): Promise<string> {
    const created = await request(this.app)
      .post('/api/v1/campaigns')
      .set(bearer(apiKey))
      .send({ name: 'fake clock', audio_id: this.audioId, start: true, ...body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  }

  async campaign(id: string, apiKey = this.running.apiKey): Promise<any> {
    const got = await request(this.app).get(`/api/v1/campaigns/${id}`).set(bearer(apiKey));
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    return got.body;
  }

  /** The campaign's contacts as the API shows them, keyed by phone. */
  async contacts(id: string, apiKey = this.running.apiKey): Promise<Map<string, any>> {
    const got = await request(this.app).get(`/api/v1/campaigns/${id}/contacts?per_page=100`).set(bearer(apiKey));
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    return new Map(got.body.data.map((contact: any) => [contact.phone, contact]));
  }

  /** Polls the read model until `done` holds for the campaign. */
  waitForCampaign(id: string, what: string, done: (campaign: any) => boolean, apiKey = this.running.apiKey): Promise<any> {
    return poll(what, async () => {
      const campaign = await this.campaign(id, apiKey);
      return done(campaign) ? campaign : null;
    }, 60_000);
  }

  /** Polls the read model until the contact with `phone` is in `state`; returns it. */
  waitForContact(id: string, phone: string, state: string, apiKey = this.running.apiKey): Promise<any> {
    return poll(`${phone} ${state}`, async () => {
      const contact = (await this.contacts(id, apiKey)).get(phone);
      return contact?.state === state ? contact : null;
    }, 60_000);
  }

  events(id: string): Promise<RecordedEvent[]> {
    return this.running.engine.store.readStream(campaignStream(id));
  }

  /** Every attempt the decider accepted (ContactAttemptStarted), in order, with the contact's phone. */
  async claims(id: string): Promise<Claim[]> {
    const events = await this.events(id);
    const phones = new Map<string, string>();
    for (const event of events) {
      if (event.type !== 'CampaignContactsEnrolled') continue;
      for (const contact of (event.data as { contacts: Array<{ contactId: string; phone: string }> }).contacts) phones.set(contact.contactId, contact.phone);
    }
    return events
      .filter((event) => event.type === 'ContactAttemptStarted')
      .map((event) => {
        const data = event.data as Omit<Claim, 'phone'>;
        return { ...data, phone: phones.get(data.contactId)! };
      });
  }

  /** Waits until the campaign's stream holds `count` events of `type`; returns them. */
  waitForEvents(id: string, type: string, count: number): Promise<RecordedEvent[]> {
    return poll(`${count} × ${type} on campaign ${id}`, async () => {
      const found = (await this.events(id)).filter((event) => event.type === type);
      return found.length >= count ? found : null;
    }, 60_000);
  }

  /**
   * Resolves once the dialer has looked at the campaign on the clock as it is now (a look already
   * running is followed by a fresh one): whatever it would claim at this instant is claimed by then.
   */
  settle(id: string): Promise<void> {
    return this.running.engine.campaigns.dialer.nudge(id);
  }

  /** Moves the clock to `to`, and lets the dialer look at the campaign at that instant. */
  async at(id: string, to: string): Promise<void> {
    this.clock.set(to);
    await this.settle(id);
  }
}


async function uploadAudio(running: RunningEngine, seconds: number, apiKey: string): Promise<string> {
  const app = running.engine.app;
  const audio = await request(app).post('/api/v1/audio').set(bearer(apiKey)).attach('file', wav({ seconds }), `${seconds}s.wav`);
  expect(audio.status, JSON.stringify(audio.body)).toBe(201);
  const id: string = audio.body.id;
  await poll('audio ready', async () => (await request(app).get(`/api/v1/audio/${id}`).set(bearer(apiKey))).body.status === 'ready');
  return id;
}

/** The attempts ended so far (ContactAttemptEnded), in order. */
export function endsOf(events: readonly RecordedEvent[]): Array<{ contactId: string; attempt: number; outcome: string; endedAt: string }> {
  return events.filter((event) => event.type === 'ContactAttemptEnded').map((event) => event.data as any);
}
