import { describe, expect, it } from 'vitest';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../../src/adapters/eventstore/port.ts';
import { createCallHandler } from '../../src/commands/calls/call-service.ts';
import { recordedFrom } from '../../src/commands/command-handler.ts';
import type { CommandContext } from '../../src/commands/decider.ts';
import type { PlaceCall } from '../../src/domain/call/commands.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';

const callId = '2b0f3c1e-5d6a-4b7c-8d9e-0f1a2b3c4d5e';
const stream = callStream(callId);
const context: CommandContext = {
  now: new Date('2026-05-01T10:00:00.000Z'),
  tenantId: 'tenant-a',
  actor: 'apikey:k1',
  correlationId: 'corr-1',
  causationId: 'req-1',
};
const place: PlaceCall = {
  type: 'PlaceCall',
  data: {
    callId, tenantId: 'tenant-a', to: '+923001234567', from: null, audioId: null, record: false,
    ringTimeoutSeconds: 30, maxDurationSeconds: 60, campaignId: null, mode: 'live', optOutDigit: null, at: '2026-05-01T10:00:00.000Z',
  },
};

describe('command handler: read → decide → append with expected revision', () => {
  it('appends the decided events with full metadata from the context and the injected time', async () => {
    const store = new InMemoryEventStore();
    const result = await createCallHandler(store).handle(stream, place, context);
    expect(result.appended.map((e) => e.type)).toEqual(['CallRequested']);
    const [stored] = await store.readStream(stream);
    expect(stored!.metadata).toMatchObject({
      tenantId: 'tenant-a', actor: 'apikey:k1', correlationId: 'corr-1', causationId: 'req-1',
      occurredAt: '2026-05-01T10:00:00.000Z', schemaVersion: 4,
    });
    expect(stored!.metadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('with expectNew, appends without reading first, and still answers an existing stream by its history', async () => {
    const store = new InMemoryEventStore();
    const handler = createCallHandler(store);
    let reads = 0;
    const readStream = store.readStream.bind(store);
    store.readStream = async (...args) => {
      reads++;
      return readStream(...args);
    };
    const first = await handler.handle(stream, place, context, { expectNew: true });
    expect(first.appended.map((e) => e.type)).toEqual(['CallRequested']);
    expect(reads).toBe(0);
    // The id was not new after all: 'no_stream' refuses the blind append, the retry reads and decides.
    const again = await handler.handle(stream, place, context, { expectNew: true });
    expect(again.appended).toEqual([]);
    expect(again.history).toHaveLength(1);
    expect(reads).toBe(1);
    expect(await readStream(stream)).toHaveLength(1);
  });

  it('appends nothing for an idempotent repeat', async () => {
    const store = new InMemoryEventStore();
    const handler = createCallHandler(store);
    await handler.handle(stream, place, context);
    const again = await handler.handle(stream, place, context);
    expect(again.appended).toEqual([]);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('retries on a revision conflict by re-reading and re-deciding', async () => {
    const store = new InMemoryEventStore();
    const handler = createCallHandler(store);
    await handler.handle(stream, place, context);
    let conflicts = 0;
    const append = store.append.bind(store);
    store.append = async (...args) => {
      try {
        return await append(...args);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) conflicts++;
        throw error;
      }
    };
    // Two writers read revision 0 at the same time and both try to move the call on.
    const dialing = handler.handle(stream, { type: 'MarkDialing', data: { callId, channelId: `calltrail-${callId}`, at: '2026-05-01T10:00:01.000Z' } }, context);
    const hangup = handler.handle(stream, { type: 'HangupCall', data: { callId, reason: 'user', at: '2026-05-01T10:00:01.000Z' } }, context);
    await Promise.all([dialing, hangup]);
    const types = (await store.readStream(stream)).map((e) => e.type);
    // Whichever lost the race saw the winner's event before deciding: no lost update, no duplicate.
    expect(types[0]).toBe('CallRequested');
    expect(conflicts).toBe(1);
    expect(types.slice(1).sort()).toEqual(types.includes('CallFailed') ? ['CallFailed'] : ['CallDialing', 'HangupRequested']);
  });

  it('gives up after the configured attempts when the conflict persists', async () => {
    const store = new InMemoryEventStore();
    let appends = 0;
    store.append = async () => {
      appends++;
      throw new WrongExpectedRevisionError(stream, 'no_stream', 0n);
    };
    await expect(createCallHandler(store).handle(stream, place, context)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(appends).toBe(5);
  });

  it('does not retry any other failure', async () => {
    const store = new InMemoryEventStore();
    let appends = 0;
    store.append = async () => {
      appends++;
      throw new EventStoreUnavailableError('down');
    };
    await expect(createCallHandler(store).handle(stream, place, context)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    expect(appends).toBe(1);
  });

  it('decides on a known history without reading, and on the stored stream once that history is stale', async () => {
    const store = new InMemoryEventStore();
    const handler = createCallHandler(store);
    const placed = await handler.handle(stream, place, context);
    const known = recordedFrom(stream, placed);
    let reads = 0;
    const readStream = store.readStream.bind(store);
    store.readStream = async (...args) => (reads++, readStream(...args));
    const dial = { type: 'MarkDialing', data: { callId, channelId: `calltrail-${callId}`, at: '2026-05-01T10:00:01.000Z' } } as const;

    const dialing = await handler.handle(stream, dial, context, { known });
    expect(dialing.appended.map((e) => e.type)).toEqual(['CallDialing']);
    expect(reads).toBe(0);

    // The same known history again is stale: the append is refused, and the stream as read says
    // the call is already dialling, so nothing more is written.
    const again = await handler.handle(stream, dial, context, { known });
    expect(again.appended).toEqual([]);
    expect(reads).toBe(1);
    expect((await readStream(stream)).map((e) => e.type)).toEqual(['CallRequested', 'CallDialing']);

    // A refusal decided on a stale history is not trusted either: on the stream as read the call is dialling.
    const hangup = { type: 'HangupCall', data: { callId, reason: 'test', at: '2026-05-01T10:00:02.000Z' } } as const;
    const ended = await handler.handle(stream, { type: 'CompleteCall', data: { callId, cause: 16, causeText: 'Normal Clearing', at: '2026-05-01T10:00:03.000Z' } }, context, { known: [...known, ...recordedFrom(stream, dialing)] }).catch((error: unknown) => error);
    expect(ended).toBeInstanceOf(Error);
    expect(reads).toBe(2);
    expect((await handler.handle(stream, hangup, context, { known })).appended.map((e) => e.type)).toEqual(['HangupRequested']);
  });
});
