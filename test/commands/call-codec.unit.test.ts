import { describe, expect, it } from 'vitest';
import { callCodec } from '../../src/commands/calls/call-codec.ts';
import type { RecordedEvent } from '../../src/domain/shared/messages.ts';

const v1Requested: RecordedEvent = {
  type: 'CallRequested',
  data: {
    callId: '6f1c2a52-8f1e-4a9b-9a51-3f0c1d2e3f40',
    tenantId: 't-1',
    to: '+923001234567',
    from: null,
    audioId: null,
    record: false,
    ringTimeoutSeconds: 30,
    maxDurationSeconds: 600,
    campaignId: null,
    requestedAt: '2026-01-01T00:00:00.000Z',
  },
  metadata: {
    eventId: 'e-1',
    correlationId: 'c-1',
    causationId: 'r-1',
    tenantId: 't-1',
    actor: 'apikey:k-1',
    occurredAt: '2026-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
  streamName: 'call-6f1c2a52-8f1e-4a9b-9a51-3f0c1d2e3f40',
  streamRevision: 0n,
  position: { commit: 1n, prepare: 1n },
};

describe('call event codec', () => {
  it('loads a v1 CallRequested written before test mode existed as a live call', () => {
    const decoded = callCodec.decode(v1Requested);
    expect(decoded).toEqual({ type: 'CallRequested', data: { ...v1Requested.data, mode: 'live', optOutDigit: null, statusCallback: null } });
  });

  it('loads a v2 CallRequested written before opt-out keys existed with no opt-out digit', () => {
    const v2 = { ...v1Requested, data: { ...v1Requested.data, mode: 'test' }, metadata: { ...v1Requested.metadata, schemaVersion: 2 } };
    expect(callCodec.decode(v2)?.data).toEqual({ ...v1Requested.data, mode: 'test', optOutDigit: null, statusCallback: null });
  });

  it('loads a v3 CallRequested written before status callbacks existed with none', () => {
    const v3 = { ...v1Requested, data: { ...v1Requested.data, mode: 'live', optOutDigit: '9' }, metadata: { ...v1Requested.metadata, schemaVersion: 3 } };
    expect(callCodec.decode(v3)?.data).toEqual({ ...v3.data, statusCallback: null });
  });

  it('passes a current v4 event through untouched', () => {
    const statusCallback = { url: 'https://hooks.example.com/cb', sealedSecret: 'v1.a.b.c' };
    const v4 = { ...v1Requested, data: { ...v1Requested.data, mode: 'live', optOutDigit: '9', statusCallback }, metadata: { ...v1Requested.metadata, schemaVersion: 4 } };
    expect(callCodec.decode(v4)?.data).toEqual(v4.data);
  });

  it('writes new events at their current schema version and refuses ones that break their schema', () => {
    const encoded = callCodec.encode({ type: 'CallRequested', data: { ...(v1Requested.data as any), mode: 'live', optOutDigit: null } });
    expect(encoded.schemaVersion).toBe(4);
    expect(encoded.event.data).toMatchObject({ statusCallback: null });
    expect(() => callCodec.encode({ type: 'CallRequested', data: { ...(v1Requested.data as any), mode: 'live' } })).toThrow();
    expect(() => callCodec.encode({ type: 'CallRequested', data: { ...(v1Requested.data as any), mode: 'live', optOutDigit: 'A' } })).toThrow();
  });

  it('ignores event types that belong to other aggregates', () => {
    expect(callCodec.decode({ ...v1Requested, type: 'FundsDeposited' })).toBeNull();
  });
});
