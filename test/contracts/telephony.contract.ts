import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  TelephonyUnavailableError,
  type OriginateRequest,
  type TelephonyOutcome,
  type TelephonyPort,
} from '../../src/adapters/telephony/port.ts';

/**
 * The behaviour every TelephonyPort backend owes calltrail, whatever PBX sits behind it.
 * A backend supplies a driver: which numbers produce which outcome on it, and the fault knobs
 * it has. Tests needing a knob the backend lacks are skipped with the reason printed.
 */

export type ContractNumbers = {
  /** Answers, then the callee hangs up on their own after a short while (cause 16). */
  readonly answeredCalleeHangsUp: string;
  /** Answers and stays up until we hang up. */
  readonly answeredStaysUp: string;
  readonly busy: string;
  readonly noAnswer: string;
  readonly rejected: string;
  readonly unallocated: string;
  readonly congestion: string;
  /** Answers, then the callee presses these digits in this order. */
  readonly dtmf: { readonly number: string; readonly digits: readonly string[] };
};

export type TelephonyFixture = {
  readonly telephony: TelephonyPort;
  teardown(): Promise<void>;
};

export type TwoNodeFixture = TelephonyFixture & {
  /** Takes the first node out of service. */
  takeFirstNodeDown(): Promise<void>;
  /** Channel ids each node created, in order. */
  channelsCreated(): Promise<{ first: string[]; second: string[] }>;
};

export type TelephonyDriver<F extends TelephonyFixture> = {
  readonly numbers: ContractNumbers;
  /** A media URI the backend can play. */
  readonly media: string;
  /** Ring timeout put on every request (no-answer waits for it). */
  readonly ringTimeoutSeconds: number;
  /** How long any single outcome may take to show up. */
  readonly outcomeTimeoutMs: number;
  setup(): Promise<F>;
  /** How many channels the PBX created for this channel id. */
  channelsCreated?(fixture: F, channelId: string): Promise<number>;
  /** The PBX restarts and forgets its channels without telling anyone. */
  restartPbx?(fixture: F): Promise<void>;
  /** The PBX stops answering (every request fails, sockets refused) or comes back. */
  setPbxDown?(fixture: F, down: boolean): Promise<void>;
  twoNodes?(): Promise<TwoNodeFixture>;
};

type Kind = TelephonyOutcome['kind'];
/** The outcome shape(s) whose kind can be K (playback kinds share one shape). */
type OutcomeOf<K extends Kind> = TelephonyOutcome extends infer O
  ? O extends { kind: infer Possible }
    ? K extends Possible
      ? O
      : never
    : never
  : never;

/** Records every outcome so tests can wait for one with a deadline instead of sleeping. */
export class OutcomeLog {
  readonly all: TelephonyOutcome[] = [];
  private readonly subscription: Subscription;

  constructor(telephony: TelephonyPort) {
    this.subscription = telephony.outcomes.subscribe((outcome) => this.all.push(outcome));
  }

  of(callId: string): TelephonyOutcome[] {
    return this.all.filter((outcome) => outcome.callId === callId);
  }

  kinds(callId: string): Kind[] {
    return this.of(callId).map((outcome) => outcome.kind);
  }

  async waitFor<K extends Kind>(callId: string, kind: K, timeoutMs: number, count = 1): Promise<OutcomeOf<K>[]> {
    await eventually(() => this.matching(callId, kind).length >= count, timeoutMs, `${count}× ${kind} for ${callId}`);
    return this.matching(callId, kind);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }

  private matching<K extends Kind>(callId: string, kind: K): OutcomeOf<K>[] {
    return this.of(callId).filter((outcome): outcome is OutcomeOf<K> => outcome.kind === kind);
  }
}

export async function eventually(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function telephonyContract<F extends TelephonyFixture>(name: string, driver: TelephonyDriver<F>): void {
  const skipReason = (capability: string) => `${name}: the driver offers no ${capability}; test skipped`;
  const wait = driver.outcomeTimeoutMs;

  const request = (to: string, extra: Partial<OriginateRequest> = {}): OriginateRequest => ({
    callId: randomUUID(),
    tenantId: 'tenant-contract',
    to,
    callerId: null,
    media: null,
    record: false,
    ringTimeoutSeconds: driver.ringTimeoutSeconds,
    maxDurationSeconds: 300,
    ...extra,
  });

  describe(`TelephonyPort contract: ${name}`, () => {
    let fixture: F;
    let log: OutcomeLog;

    beforeEach(async () => {
      fixture = await driver.setup();
      log = new OutcomeLog(fixture.telephony);
    });

    afterEach(async () => {
      log.stop();
      await fixture.teardown();
    });

    it('reports ringing, answer and the carrier-side end of an answered call', async () => {
      const call = request(driver.numbers.answeredCalleeHangsUp);
      const { channelId } = await fixture.telephony.originate(call);
      expect(channelId).toEqual(expect.any(String));

      const [ended] = await log.waitFor(call.callId, 'ended', wait);
      expect(log.kinds(call.callId)).toEqual(['ringing', 'answered', 'ended']);
      expect(ended).toMatchObject({ tenantId: call.tenantId, answered: true, cause: 16, reason: null });
      const [answered] = log.of(call.callId).filter((o) => o.kind === 'answered');
      expect(Date.parse(ended!.at)).toBeGreaterThanOrEqual(Date.parse(answered!.at));
      expect(ended!.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    });

    const failures = [
      ['busy', () => driver.numbers.busy, 17],
      ['no answer', () => driver.numbers.noAnswer, 19],
      ['rejected', () => driver.numbers.rejected, 21],
      ['unallocated number', () => driver.numbers.unallocated, 1],
      ['congestion', () => driver.numbers.congestion, 34],
    ] as const;

    it.each(failures)('reports %s as an unanswered end with its Q.850 cause', async (_label, number, cause) => {
      const call = request(number());
      await fixture.telephony.originate(call);
      const [ended] = await log.waitFor(call.callId, 'ended', wait + driver.ringTimeoutSeconds * 1000);
      expect(ended).toMatchObject({ answered: false, cause, reason: null });
      expect(ended!.causeText).not.toBe('');
      expect(log.kinds(call.callId)).not.toContain('answered');
    });

    it('plays the media once answered, then hangs up when it finishes', async () => {
      const call = request(driver.numbers.answeredStaysUp, { media: driver.media });
      await fixture.telephony.originate(call);
      const [ended] = await log.waitFor(call.callId, 'ended', wait);
      expect(log.kinds(call.callId)).toEqual(['ringing', 'answered', 'playback_started', 'playback_finished', 'ended']);
      const [started, finished] = log.of(call.callId).filter((o) => o.kind.startsWith('playback'));
      expect(started).toMatchObject({ media: driver.media });
      expect(finished).toMatchObject({ playbackId: (started as OutcomeOf<'playback_started'>).playbackId });
      expect(ended).toMatchObject({ answered: true, cause: 16 });
    });

    it('reports the digits the callee presses, in order', async () => {
      const call = request(driver.numbers.dtmf.number);
      await fixture.telephony.originate(call);
      const digits = await log.waitFor(call.callId, 'dtmf', wait, driver.numbers.dtmf.digits.length);
      expect(digits.map((d) => d.digit)).toEqual(driver.numbers.dtmf.digits);
      await fixture.telephony.hangup(call.callId);
      await log.waitFor(call.callId, 'ended', wait);
    });

    it('records the call when asked and reports the stored recording', async () => {
      const call = request(driver.numbers.answeredStaysUp, { media: driver.media, record: true });
      await fixture.telephony.originate(call);
      const [stored] = await log.waitFor(call.callId, 'recording_stored', wait);
      expect(stored).toMatchObject({ tenantId: call.tenantId, format: expect.any(String) });
      expect(stored!.name).toContain(call.callId);
      expect(stored!.durationSeconds).toBeGreaterThanOrEqual(0);
      expect(Number.isInteger(stored!.durationSeconds)).toBe(true);
      await log.waitFor(call.callId, 'ended', wait);
    });

    it('a recorded call hears its audio without waiting for the recording', async () => {
      // Asterisk runs one channel's plays and records in turn: a recording made on the call channel
      // itself would hold the broadcast back until the recording stopped (issue 11).
      const call = request(driver.numbers.answeredStaysUp, { media: driver.media, record: true, maxDurationSeconds: 300 });
      await fixture.telephony.originate(call);
      await log.waitFor(call.callId, 'playback_started', wait);
      expect(log.kinds(call.callId)).not.toContain('recording_stored');

      const [stored] = await log.waitFor(call.callId, 'recording_stored', wait);
      await log.waitFor(call.callId, 'ended', wait);
      expect(stored!.name).toContain(call.callId);
      const kinds = log.kinds(call.callId);
      expect(kinds.indexOf('playback_finished')).toBeLessThan(kinds.indexOf('recording_stored'));
      // Whatever the backend uses to record, it is not a second answer or a second end of the call.
      expect(kinds.filter((kind) => kind === 'answered')).toHaveLength(1);
      expect(kinds.filter((kind) => kind === 'ended')).toHaveLength(1);
    });

    it('hangs up a live call, and hanging up again still succeeds', async () => {
      const call = request(driver.numbers.answeredStaysUp);
      await fixture.telephony.originate(call);
      await log.waitFor(call.callId, 'answered', wait);
      await fixture.telephony.hangup(call.callId);
      const [ended] = await log.waitFor(call.callId, 'ended', wait);
      expect(ended).toMatchObject({ answered: true, cause: 16, reason: null });
      await expect(fixture.telephony.hangup(call.callId)).resolves.toBeUndefined();
      expect(log.kinds(call.callId).filter((k) => k === 'ended')).toHaveLength(1);
    });

    it('hanging up a call that never existed succeeds', async () => {
      await expect(fixture.telephony.hangup(randomUUID())).resolves.toBeUndefined();
    });

    it.skipIf(!driver.channelsCreated)('creates one channel when the same call is originated twice', async () => {
      if (!driver.channelsCreated) return console.log(skipReason('channel count'));
      const call = request(driver.numbers.answeredStaysUp);
      const [first, second] = await Promise.all([fixture.telephony.originate(call), fixture.telephony.originate(call)]);
      const third = await fixture.telephony.originate(call);
      expect(second.channelId).toBe(first.channelId);
      expect(third.channelId).toBe(first.channelId);
      expect(await driver.channelsCreated(fixture, first.channelId)).toBe(1);
      await fixture.telephony.hangup(call.callId);
      await log.waitFor(call.callId, 'ended', wait);
    });

    it.skipIf(!driver.restartPbx)('ends a call whose channel vanished while disconnected', async () => {
      const call = request(driver.numbers.answeredStaysUp);
      await fixture.telephony.originate(call);
      await log.waitFor(call.callId, 'answered', wait);
      await driver.restartPbx!(fixture);
      const [ended] = await log.waitFor(call.callId, 'ended', wait * 3);
      expect(ended).toMatchObject({ answered: true, cause: null, reason: 'lost while disconnected' });
    });

    it.skipIf(!driver.setPbxDown)('refuses calls with TelephonyUnavailableError while the PBX is down, and recovers', async () => {
      await driver.setPbxDown!(fixture, true);
      let lastError: unknown;
      await eventually(
        async () => {
          lastError = await fixture.telephony.originate(request(driver.numbers.answeredStaysUp)).then(
            () => null,
            (error: unknown) => error,
          );
          return lastError instanceof TelephonyUnavailableError && !(await fixture.telephony.health()).ok;
        },
        wait * 3,
        'originate to be refused',
      );
      expect(lastError).toBeInstanceOf(TelephonyUnavailableError);

      await driver.setPbxDown!(fixture, false);
      await eventually(async () => (await fixture.telephony.health()).ok, wait * 3, 'health to recover');
      const call = request(driver.numbers.answeredCalleeHangsUp);
      await fixture.telephony.originate(call);
      await log.waitFor(call.callId, 'ended', wait);
    });
  });

  describe.skipIf(!driver.twoNodes)(`TelephonyPort contract, two nodes: ${name}`, () => {
    it('routes calls to the healthy node when the other is down', async () => {
      const nodes = await driver.twoNodes!();
      const log = new OutcomeLog(nodes.telephony);
      try {
        await nodes.takeFirstNodeDown();
        const calls = Array.from({ length: 4 }, () => request(driver.numbers.answeredCalleeHangsUp));
        let placed: string[] = [];
        await eventually(
          async () => {
            for (const call of calls.filter((c) => !placed.includes(c.callId))) {
              await nodes.telephony.originate(call).then(
                () => (placed = [...placed, call.callId]),
                () => undefined,
              );
            }
            return placed.length === calls.length;
          },
          wait * 3,
          'every call to be placed',
        );
        const created = await nodes.channelsCreated();
        for (const call of calls) await log.waitFor(call.callId, 'ended', wait);
        expect(created.second).toHaveLength(calls.length);
        expect(created.first.filter((id) => calls.some((c) => id.includes(c.callId)))).toEqual([]);
        const health = await nodes.telephony.health();
        expect(health.ok).toBe(true);
        expect(health.nodes.map((n) => n.ok)).toEqual([false, true]);
      } finally {
        log.stop();
        await nodes.teardown();
      }
    });
  });
}
