import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SharedLogFeed } from '../../../src/app/live-events/shared-feed.ts';
import { TenantEventStreams } from '../../../src/app/live-events/tenant-streams.ts';
import type { EventToAppend, RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { eventSummary, STREAMED_EVENT_TYPES } from '../../../src/http/views/event-summary.ts';
import { InMemoryEventStore } from '../../support/in-memory-event-store.ts';
import { poll } from '../../support/poll.ts';

const event = (type: string, tenantId: string, data: Record<string, unknown> = {}): EventToAppend => ({
  type,
  data,
  metadata: { eventId: randomUUID(), correlationId: 'c', causationId: 'c', tenantId, actor: 'system:test', occurredAt: '2026-12-01T10:00:00.000Z', schemaVersion: 1 },
});

const recorded = (streamName: string, type: string, data: Record<string, unknown> = {}): RecordedEvent => ({
  ...event(type, 't1', data),
  streamName,
  streamRevision: 0n,
  position: { commit: 7n, prepare: 7n },
});

function collector() {
  const seen: RecordedEvent[] = [];
  let ended = false;
  return { seen, isEnded: () => ended, sink: { event: (e: RecordedEvent) => void seen.push(e), end: () => void (ended = true) } };
}

describe('the shared live feed and tenant streams', () => {
  it('holds one store subscription for many listeners, released with the last one', async () => {
    const store = new InMemoryEventStore();
    const feed = new SharedLogFeed(store, () => null);
    const streams = new TenantEventStreams(store, feed);
    const a = collector();
    const b = collector();
    const stopA = streams.follow('t1', null, a.sink);
    const stopB = streams.follow('t2', null, b.sink);
    await feed.ready();
    expect(feed.listenerCount).toBe(2);
    await store.append('call-1', [event('CallRequested', 't1')], 'any');
    await store.append('call-2', [event('CallRequested', 't2')], 'any');
    await poll('both delivered', async () => a.seen.length === 1 && b.seen.length === 1);
    expect(a.seen[0]!.metadata.tenantId).toBe('t1');
    expect(b.seen[0]!.metadata.tenantId).toBe('t2');
    stopA();
    expect(feed.subscribed).toBe(true);
    stopB();
    expect(feed.listenerCount).toBe(0);
    expect(feed.subscribed).toBe(false);
  });

  it('resumes from a position: replayed, then live, each event once, only the tenant’s', async () => {
    const store = new InMemoryEventStore();
    const first = await store.append('call-1', [event('CallRequested', 't1')], 'any');
    await store.append('call-x', [event('CallRequested', 'other')], 'any');
    await store.append('call-1', [event('CallDialing', 't1')], 'any');
    const feed = new SharedLogFeed(store, () => null);
    const streams = new TenantEventStreams(store, feed);
    const resumed = collector();
    streams.follow('t1', first.position, resumed.sink);
    await store.append('call-1', [event('CallAnswered', 't1')], 'any');
    await poll('replay and live', async () => resumed.seen.length === 2);
    expect(resumed.seen.map((e) => e.type)).toEqual(['CallDialing', 'CallAnswered']);
  });

  it('a resume too far behind says so and goes live', async () => {
    const store = new InMemoryEventStore();
    const start = await store.append('call-1', [event('CallRequested', 't1')], 'any');
    for (let i = 0; i < 5; i++) await store.append('call-1', [event('PlaybackStarted', 't1')], 'any');
    const feed = new SharedLogFeed(store, () => null);
    const streams = new TenantEventStreams(store, feed, 0);
    let truncated = false;
    const seen: string[] = [];
    streams.follow('t1', start.position, { event: (e) => void seen.push(e.type), end: () => undefined, truncated: () => void (truncated = true) });
    await poll('truncated', async () => truncated);
    await store.append('call-1', [event('CallAnswered', 't1')], 'any');
    await poll('live again', async () => seen.includes('CallAnswered'));
    expect(seen).toEqual(['CallAnswered']);
  });

  it('close ends every listener and ends new ones at once', async () => {
    const store = new InMemoryEventStore();
    const feed = new SharedLogFeed(store, () => null);
    const streams = new TenantEventStreams(store, feed);
    const open = collector();
    streams.follow('t1', null, open.sink);
    await feed.ready();
    feed.close();
    expect(open.isEnded()).toBe(true);
    expect(feed.subscribed).toBe(false);
    const late = collector();
    streams.follow('t1', null, late.sink);
    expect(late.isEnded()).toBe(true);
    expect(feed.listenerCount).toBe(0);
  });
});

describe('event summaries', () => {
  it('never carry keys, users, settings, operator keys or webhook secrets', () => {
    const secretBearing = ['ApiKeyIssued', 'ApiKeyRevoked', 'UserAdded', 'UserPasswordChanged', 'AccountOpened', 'AccountSettingsChanged', 'OperatorKeyIssued', 'WebhookEndpointCreated', 'WebhookSecretRotated'];
    for (const type of secretBearing) expect(STREAMED_EVENT_TYPES).not.toContain(type);
    expect(eventSummary(recorded('account-t1', 'ApiKeyIssued', { secretHash: 'x' }))).toBeNull();
    expect(eventSummary(recorded('webhook-w1', 'WebhookSecretRotated', { sealedSecret: 'x' }))).toBeNull();
    // A type only counts on its own kind of stream.
    expect(eventSummary(recorded('account-t1', 'CallCompleted'))).toBeNull();
  });

  it('name the subject and status, never the data', () => {
    const summary = eventSummary(recorded('call-abc', 'CallFailed', { outcome: 'BUSY', to: '+923001234567' }));
    expect(summary).toEqual({ position: expect.any(String), type: 'CallFailed', at: '2026-12-01T10:00:00.000Z', subject: { kind: 'call', id: 'abc' }, status: 'BUSY' });
    expect(eventSummary(recorded('wallet-t1', 'CallCharged', { callId: 'abc', amountMinor: 5 }))).toMatchObject({ subject: { kind: 'balance', id: 't1' }, call_id: 'abc' });
    expect(eventSummary(recorded('campaign-k1', 'ContactAttemptStarted', { campaignId: 'k1', contactId: 'p1', callId: 'abc' }))).toMatchObject({
      subject: { kind: 'campaign', id: 'k1' }, campaign_id: 'k1', contact_id: 'p1', call_id: 'abc',
    });
  });
});
