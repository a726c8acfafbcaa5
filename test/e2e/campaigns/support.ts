import request from 'supertest';
import { expect } from 'vitest';
import type { EventStore } from '../../../src/adapters/eventstore/port.ts';
import type { RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { campaignStream } from '../../../src/domain/shared/streams.ts';
import { wav } from '../../support/audio-fixtures.ts';
import { poll } from '../../support/poll.ts';
import type { RunningEngine } from '../support/engine.ts';

/** What the campaign tests share: a ready audio file, waiting on a campaign, and reading the log. */

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });

/** The dialer looks for work this often: small, so a test waits on the calls, not the poll. */
export const CAMPAIGN_ENV = { CAMPAIGN_POLL_MS: '50' } as const;

export async function uploadReadyAudio(running: RunningEngine, key = running.apiKey): Promise<string> {
  const app = running.engine.app;
  const uploaded = await request(app).post('/api/v1/audio').set(bearer(key)).attach('file', wav({ seconds: 1 }), 'greeting.wav');
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const id: string = uploaded.body.id;
  await poll('audio ready', async () => (await request(app).get(`/api/v1/audio/${id}`).set(bearer(key))).body.status === 'ready');
  return id;
}

export async function getCampaign(running: RunningEngine, id: string, key = running.apiKey): Promise<any> {
  const got = await request(running.engine.app).get(`/api/v1/campaigns/${id}`).set(bearer(key));
  expect(got.status, JSON.stringify(got.body)).toBe(200);
  return got.body;
}

export async function waitForStatus(running: RunningEngine, id: string, status: string, timeoutMs = 40_000, key = running.apiKey): Promise<any> {
  let last: any;
  try {
    return await poll(`campaign ${id} ${status}`, async () => {
      last = await getCampaign(running, id, key);
      return last.status === status ? last : null;
    }, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(last)}`);
  }
}

/** Every contact of a campaign, all pages. */
export async function campaignContacts(running: RunningEngine, id: string, query = '', key = running.apiKey): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const got = await request(running.engine.app).get(`/api/v1/campaigns/${id}/contacts?per_page=100&page=${page}${query}`).set(bearer(key));
    expect(got.status, JSON.stringify(got.body)).toBe(200);
    out.push(...got.body.data);
    if (out.length >= got.body.pagination.total || got.body.data.length === 0) return out;
  }
}

export const campaignEvents = (store: EventStore, id: string): Promise<RecordedEvent[]> => store.readStream(campaignStream(id));

/** The whole log, every page. */
export { readWholeLog as allEvents } from '../../support/whole-log.ts';
