import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/adapters/db/database.ts';
import { OriginateOutcomeUnknownError, TelephonyUnavailableError } from '../../src/adapters/telephony/port.ts';
import { createCallHandler, type CallHandler } from '../../src/commands/calls/call-service.ts';
import { recordedFrom } from '../../src/commands/command-handler.ts';
import type { CommandContext } from '../../src/commands/decider.ts';
import { ManualClock } from '../../src/domain/shared/clock.ts';
import { callStream } from '../../src/domain/shared/streams.ts';
import { Dialer, type DialerOptions } from '../../src/reactors/dialer.ts';
import type { GlobalPosition } from '../../src/domain/shared/messages.ts';
import { InMemoryEventStore } from '../support/in-memory-event-store.ts';
import { FakeTelephony } from '../support/fake-telephony.ts';

const ctx = (n: number): CommandContext => ({
  now: new Date('2026-05-01T10:00:00.000Z'),
  tenantId: 'tenant-a',
  actor: 'apikey:k1',
  correlationId: `corr-${n}`,
  causationId: `req-${n}`,
});
const idFor = (n: number) => `3c0f3c1e-5d6a-4b7c-8d9e-${n.toString(16).padStart(12, '0')}`;

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('dialer reactor', () => {
  let database: Database;
  let store: InMemoryEventStore;
  let calls: CallHandler;
  let clock: ManualClock;
  const dialers: Dialer[] = [];

  const startDialer = async (telephony: FakeTelephony, options: Partial<DialerOptions> = {}) => {
    const dialer = new Dialer(database.db, store, telephony, calls, clock, { mediaFor: async () => 'sound:hello-world', ...options });
    dialers.push(dialer);
    await dialer.start();
    return dialer;
  };
  const place = (n: number, mode: 'live' | 'test' = 'live') =>
    calls.handle(
      callStream(idFor(n)),
      {
        type: 'PlaceCall',
        data: {
          callId: idFor(n), tenantId: 'tenant-a', to: '+923001234567', from: null, audioId: null, record: true,
          ringTimeoutSeconds: 25, maxDurationSeconds: 90, campaignId: null, mode, optOutDigit: null, at: '2026-05-01T10:00:00.000Z',
        },
      },
      ctx(n),
    );
  const types = async (n: number) => (await store.readStream(callStream(idFor(n)))).map((e) => e.type);

  beforeAll(async () => {
    database = await openDatabase({});
  });
  afterAll(async () => {
    await database.close();
  });

  beforeEach(async () => {
    await database.db.schema.dropTable('checkpoints').ifExists().execute();
    store = new InMemoryEventStore();
    calls = createCallHandler(store);
    clock = new ManualClock('2026-05-01T10:00:01.000Z');
  });
  afterEach(async () => {
    for (const dialer of dialers.splice(0)) await dialer.stop();
  });

  it('claims the call with CallDialing, then originates it once with the call’s settings', async () => {
    const telephony = new FakeTelephony();
    await startDialer(telephony);
    await place(1, 'test');
    await until(() => telephony.originated.length === 1, 'the originate');
    expect(telephony.originated[0]).toMatchObject({
      callId: idFor(1), tenantId: 'tenant-a', to: '+923001234567', media: 'sound:hello-world', record: true,
      ringTimeoutSeconds: 25, maxDurationSeconds: 90, testMode: true,
    });
    const dialing = (await store.readStream(callStream(idFor(1))))[1]!;
    expect(dialing.type).toBe('CallDialing');
    expect(dialing.metadata).toMatchObject({ actor: 'system:dialer', correlationId: 'corr-1', tenantId: 'tenant-a' });
  });

  it('checks the do-not-call list as of its own CallDialing and blocks a listed number instead of dialling it', async () => {
    const telephony = new FakeTelephony();
    const asked: Array<{ phone: string; after: GlobalPosition }> = [];
    const listed = new Set(['+923001234567']);
    let unreadable = false;
    await startDialer(telephony, {
      doNotCall: async (_tenantId, phone, after) => {
        asked.push({ phone, after });
        if (unreadable) throw new Error('read model unavailable');
        return listed.has(phone) ? { scope: 'tenant' } : null;
      },
    });
    await place(1);
    await until(async () => (await types(1)).includes('CallBlocked'), 'the call blocked');
    expect(await types(1)).toEqual(['CallRequested', 'CallDialing', 'CallBlocked']);
    expect(telephony.originated).toHaveLength(0);
    const dialing = (await store.readStream(callStream(idFor(1)))).find((event) => event.type === 'CallDialing')!;
    expect(asked[0]).toEqual({ phone: '+923001234567', after: dialing.position });

    listed.clear();
    await place(2);
    await until(() => telephony.originated.length === 1, 'the unlisted call dialled');

    // A list that cannot be read is no licence to dial: the call fails before the carrier.
    unreadable = true;
    await place(3);
    await until(async () => (await types(3)).includes('CallFailed'), 'the call failed');
    expect(telephony.originated).toHaveLength(1);
  });

  it('never dials a call twice, even with two dialer processes on one log', async () => {
    const first = new FakeTelephony();
    const second = new FakeTelephony();
    await startDialer(first);
    await startDialer(second);
    for (let n = 1; n <= 20; n++) await place(n);
    await until(() => first.originated.length + second.originated.length === 20, '20 originates');
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let n = 1; n <= 20; n++) expect(first.originatesFor(idFor(n)) + second.originatesFor(idFor(n))).toBe(1);
  });

  it('dials a call handed off as it is written once, however many dialers the log also delivers it to', async () => {
    const first = new FakeTelephony();
    const second = new FakeTelephony();
    const handedTo = await startDialer(first);
    await startDialer(second);
    const written: string[] = [];
    handedTo.onWritten((events) => written.push(...events.map((event) => event.type)));
    for (let n = 1; n <= 20; n++) {
      const placed = await place(n);
      handedTo.dialPlaced(recordedFrom(callStream(idFor(n)), placed));
      // A repeated hand-off is the same work, not a second dial.
      handedTo.dialPlaced(recordedFrom(callStream(idFor(n)), placed));
    }
    await until(() => first.originated.length + second.originated.length === 20, '20 originates');
    await new Promise((resolve) => setTimeout(resolve, 50));
    for (let n = 1; n <= 20; n++) {
      expect(first.originatesFor(idFor(n)) + second.originatesFor(idFor(n))).toBe(1);
      expect(await types(n)).toEqual(['CallRequested', 'CallDialing']);
    }
    // The handed-off dialer announces its own writes in-process (the campaign dialer takes call ends so).
    expect(written.length).toBe(first.originated.length);
    expect(new Set(written)).toEqual(new Set(['CallDialing']));
  });

  it('does not dial again after a restart that lost its checkpoint, nor a call claimed before a crash', async () => {
    const before = new FakeTelephony();
    const dialer = await startDialer(before);
    await place(1);
    await until(() => before.originated.length === 1, 'the first originate');
    await dialer.stop();
    dialers.splice(dialers.indexOf(dialer), 1);

    // a crash after the claim but before the originate: CallDialing is in the log, no channel exists
    await place(2);
    await calls.handle(callStream(idFor(2)), { type: 'MarkDialing', data: { callId: idFor(2), channelId: `calltrail-${idFor(2)}`, at: '2026-05-01T10:00:00.500Z' } }, ctx(2));
    await database.db.deleteFrom('checkpoints').execute();

    const after = new FakeTelephony();
    await startDialer(after);
    await place(3);
    await until(() => after.originated.length === 1, 'the new call');
    expect(after.originated.map((r) => r.callId)).toEqual([idFor(3)]);
  });

  it('turns PBX facts into the call’s events, and a redelivered ending changes nothing', async () => {
    const telephony = new FakeTelephony();
    await startDialer(telephony);
    await place(1);
    await until(() => telephony.originated.length === 1, 'the originate');
    const base = { callId: idFor(1), tenantId: 'tenant-a' };
    telephony.report({ ...base, kind: 'ringing', at: '2026-05-01T10:00:02.000Z' });
    telephony.report({ ...base, kind: 'answered', at: '2026-05-01T10:00:05.000Z' });
    telephony.report({ ...base, kind: 'dtmf', digit: '7', at: '2026-05-01T10:00:06.000Z' });
    telephony.report({ ...base, kind: 'recording_stored', name: 'rec-1', format: 'wav', durationSeconds: 61, at: '2026-05-01T10:01:06.000Z' });
    const ended = { ...base, kind: 'ended' as const, answered: true, cause: 16, causeText: 'Normal Clearing', at: '2026-05-01T10:01:06.250Z', reason: null };
    telephony.report(ended);
    telephony.report(ended);
    await until(async () => (await types(1)).includes('CallCompleted'), 'the completion');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await types(1)).toEqual(['CallRequested', 'CallDialing', 'CallRinging', 'CallAnswered', 'DtmfReceived', 'RecordingStored', 'CallCompleted']);
    const completed = (await store.readStream(callStream(idFor(1)))).at(-1)!;
    expect(completed.data).toMatchObject({ cause: 16, billableMs: 61_250, answeredAt: '2026-05-01T10:00:05.000Z' });
    expect(completed.metadata).toMatchObject({ actor: 'system:telephony', correlationId: 'corr-1' });
  });

  it('classifies an unanswered end by its Q.850 cause, and a vanished channel as LOST', async () => {
    const telephony = new FakeTelephony();
    await startDialer(telephony);
    await place(1);
    await place(2);
    await until(() => telephony.originated.length === 2, 'two originates');
    telephony.report({ callId: idFor(1), tenantId: 'tenant-a', kind: 'ended', answered: false, cause: 17, causeText: 'User busy', at: '2026-05-01T10:00:02.000Z', reason: null });
    telephony.report({ callId: idFor(2), tenantId: 'tenant-a', kind: 'ended', answered: false, cause: null, causeText: 'lost', at: '2026-05-01T10:00:02.000Z', reason: 'lost while disconnected' });
    await until(async () => (await types(1)).includes('CallFailed') && (await types(2)).includes('CallFailed'), 'both failures');
    expect((await store.readStream(callStream(idFor(1)))).at(-1)!.data).toMatchObject({ outcome: 'BUSY', cause: 17, retryable: true });
    expect((await store.readStream(callStream(idFor(2)))).at(-1)!.data).toMatchObject({ outcome: 'LOST', cause: null, reason: 'lost while disconnected' });
  });

  it('asks the PBX to hang up on HangupRequested', async () => {
    const telephony = new FakeTelephony();
    await startDialer(telephony);
    await place(1);
    await until(() => telephony.originated.length === 1, 'the originate');
    await calls.handle(callStream(idFor(1)), { type: 'HangupCall', data: { callId: idFor(1), reason: 'user', at: '2026-05-01T10:00:03.000Z' } }, ctx(1));
    await until(() => telephony.hungUp.includes(idFor(1)), 'the hangup');
  });

  it('fails the call when the PBX certainly refused it, but records nothing when the outcome is unknown', async () => {
    const telephony = new FakeTelephony();
    await startDialer(telephony);
    telephony.failWith = new TelephonyUnavailableError('all nodes down');
    await place(1);
    await until(async () => (await types(1)).includes('CallFailed'), 'the failure');
    expect((await store.readStream(callStream(idFor(1)))).at(-1)!.data).toMatchObject({ outcome: 'CONGESTION', retryable: true });

    telephony.failWith = new OriginateOutcomeUnknownError('reply lost');
    await place(2);
    await until(() => telephony.originatesFor(idFor(2)) === 1, 'the second originate');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await types(2)).toEqual(['CallRequested', 'CallDialing']);
  });
});
