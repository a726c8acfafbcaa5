/** The pure halves of the EventStoreDB adapter: URL checks and event translation. */
import { describe, expect, it } from 'vitest';
import { ANY, NO_STREAM, STREAM_EXISTS, type ResolvedEvent } from '@eventstore/db-client';
import {
  EventStoreConfigError,
  redactUrl,
  validateEsdbUrl,
} from '../../../src/adapters/eventstore/esdb-config.ts';
import {
  ForeignEventError,
  isSystemEvent,
  toEsdbEvent,
  toEsdbExpectedRevision,
  toRecordedEvent,
} from '../../../src/adapters/eventstore/esdb-mapping.ts';
import type { EventMetadata } from '../../../src/domain/shared/messages.ts';

const metadata: EventMetadata = {
  eventId: '5F0C8C2E-1D4B-4E8A-9C1B-2A3D4E5F6A7B',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  tenantId: 'tenant-a',
  actor: 'apikey:7',
  occurredAt: '2026-02-03T04:05:06.000Z',
  schemaVersion: 2,
};

function resolved(overrides: Record<string, unknown> = {}): ResolvedEvent {
  return {
    event: {
      streamId: 'call-1',
      id: metadata.eventId.toLowerCase(),
      revision: 4n,
      type: 'CallAnswered',
      isJson: true,
      data: { callId: '1' },
      metadata: { ...metadata, $correlationId: 'corr-1', $causationId: 'cause-1' },
      created: new Date(0),
      position: { commit: 900n, prepare: 899n },
      ...overrides,
    },
  } as ResolvedEvent;
}

describe('validateEsdbUrl', () => {
  const parse = (url: string) => ({ parsed: url });

  it('returns what the driver built from a good URL', () => {
    expect(validateEsdbUrl('esdb://127.0.0.1:2113?tls=false', parse)).toEqual({
      parsed: 'esdb://127.0.0.1:2113?tls=false',
    });
    expect(validateEsdbUrl('esdb+discover://cluster.example:2113', parse)).toBeTruthy();
  });

  it.each([
    [undefined, /missing/],
    ['   ', /missing/],
    ['postgres://localhost/db', /must start with esdb:\/\//],
    ['esdb://', /names no host/],
    ['esdb://user:pw@?tls=false', /names no host/],
    ['esdb://a:1,,b:2', /names no host/],
  ])('rejects %j', (url, problem) => {
    expect(() => validateEsdbUrl(url, parse)).toThrow(EventStoreConfigError);
    expect(() => validateEsdbUrl(url, parse)).toThrow(problem);
  });

  it("wraps the driver's own parse failure, keeping it as the cause", () => {
    const driverError = new Error('Unexpected "x" at position 12, expected port number.');
    let thrown: unknown;
    try {
      validateEsdbUrl('esdb://host:x', () => {
        throw driverError;
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventStoreConfigError);
    expect((thrown as Error).message).toContain('expected port number');
    expect((thrown as Error).cause).toBe(driverError);
  });

  it('hides credentials in what it prints', () => {
    expect(redactUrl('esdb://admin:changeit@db:2113?tls=true')).toBe('esdb://***@db:2113?tls=true');
    expect(redactUrl('esdb://db:2113')).toBe('esdb://db:2113');
    expect(() => validateEsdbUrl('http://admin:changeit@db', parse)).toThrow(/^(?!.*changeit)/);
  });
});

describe('EventStoreDB event mapping', () => {
  it('maps expected revisions one to one', () => {
    expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
    expect(toEsdbExpectedRevision('any')).toBe(ANY);
    expect(toEsdbExpectedRevision('stream_exists')).toBe(STREAM_EXISTS);
    expect(toEsdbExpectedRevision(0n)).toBe(0n);
    expect(toEsdbExpectedRevision(41n)).toBe(41n);
  });

  it('uses the eventId as the ESDB id and adds $correlationId/$causationId', () => {
    const data = toEsdbEvent({ type: 'CallAnswered', data: { callId: '1' }, metadata });
    expect(data).toMatchObject({
      id: metadata.eventId,
      type: 'CallAnswered',
      contentType: 'application/json',
      data: { callId: '1' },
      metadata: { ...metadata, $correlationId: 'corr-1', $causationId: 'cause-1' },
    });
  });

  it('rebuilds a RecordedEvent with revision, both positions and the metadata as written', () => {
    expect(toRecordedEvent(resolved())).toEqual({
      type: 'CallAnswered',
      data: { callId: '1' },
      metadata,
      streamName: 'call-1',
      streamRevision: 4n,
      position: { commit: 900n, prepare: 899n },
    });
  });

  it('drops system events and unresolved links', () => {
    expect(toRecordedEvent(resolved({ streamId: '$stats-node', type: '$statsCollected' }))).toBeUndefined();
    expect(toRecordedEvent(resolved({ type: '$metadata' }))).toBeUndefined();
    expect(toRecordedEvent({})).toBeUndefined();
    expect(isSystemEvent('call-1', 'CallAnswered')).toBe(false);
    expect(isSystemEvent('$all', 'x')).toBe(true);
  });

  it('refuses events that do not carry calltrail metadata', () => {
    expect(() => toRecordedEvent(resolved({ metadata: undefined }))).toThrow(ForeignEventError);
    expect(() => toRecordedEvent(resolved({ metadata: { ...metadata, tenantId: 3 } }))).toThrow(/tenantId/);
    expect(() => toRecordedEvent(resolved({ isJson: false, data: new Uint8Array([1]) }))).toThrow(/JSON/);
  });
});
