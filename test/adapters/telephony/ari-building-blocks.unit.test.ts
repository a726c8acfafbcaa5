import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import { asteriskTimeToIso } from '../../../src/adapters/telephony/ari/asterisk-time.ts';
import { CircuitBreaker } from '../../../src/adapters/telephony/ari/circuit-breaker.ts';
import { ariConfigFromEnv, parseAriConfig } from '../../../src/adapters/telephony/ari/config.ts';
import { callIdFromChannelId, channelIdFor } from '../../../src/adapters/telephony/ari/identifiers.ts';
import { nodesInPreferenceOrder } from '../../../src/adapters/telephony/ari/routing.ts';
import type { TimerHandle, Timers } from '../../../src/adapters/telephony/ari/timers.ts';
import { TokenBucket } from '../../../src/adapters/telephony/ari/token-bucket.ts';
import { dialString, trunkFor } from '../../../src/adapters/telephony/ari/trunks.ts';
import { MaxDurationWatchdog } from '../../../src/adapters/telephony/ari/watchdog.ts';

/** Timers that fire only when the test moves the shared manual clock. */
class ManualTimers implements Timers {
  private pending: Array<{ due: number; run: () => void; cancelled: boolean }> = [];
  constructor(private readonly clock: ManualClock) {}
  after(ms: number, run: () => void): TimerHandle {
    const entry = { due: this.clock.now().getTime() + ms, run, cancelled: false };
    this.pending.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }
  advance(ms: number): void {
    const until = this.clock.now().getTime() + ms;
    for (;;) {
      const next = this.pending
        .filter((t) => !t.cancelled && t.due <= until)
        .sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.pending = this.pending.filter((t) => t !== next);
      this.clock.set(new Date(Math.max(next.due, this.clock.now().getTime())));
      next.run();
    }
    this.clock.set(new Date(until));
  }
}

describe('asteriskTimeToIso', () => {
  it('turns an Asterisk stamp with a colon-less offset into UTC ISO-8601', () => {
    expect(asteriskTimeToIso('2026-11-23T11:16:33.123+0000')).toBe('2026-11-23T11:16:33.123Z');
    expect(asteriskTimeToIso('2026-11-23T13:16:33.123+0200')).toBe('2026-11-23T11:16:33.123Z');
    expect(asteriskTimeToIso('2026-11-23T06:46:33.000-0430')).toBe('2026-11-23T11:16:33.000Z');
  });

  it('answers null for anything that is not such a stamp', () => {
    expect(asteriskTimeToIso(undefined)).toBeNull();
    expect(asteriskTimeToIso('yesterday')).toBeNull();
    expect(asteriskTimeToIso('2026-13-45T99:99:99.000+0000')).toBeNull();
  });
});

describe('config', () => {
  const minimal = {
    nodes: [{ name: 'pbx1', url: 'http://pbx1:8088', username: 'u', password: 'p' }],
    trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier' }],
  };

  it('fills defaults for everything an operator may leave out', () => {
    const config = parseAriConfig(minimal);
    expect(config.nodes[0]!.app).toBe('calltrail');
    expect(config.trunks[0]!.callsPerSecond).toBeGreaterThan(0);
    expect(config.circuitBreaker.failureThreshold).toBe(3);
    expect(config.reconnect.initialDelayMs).toBe(500);
  });

  it('rejects a trunk without a number placeholder and duplicate node names', () => {
    expect(() => parseAriConfig({ ...minimal, trunks: [{ name: 't', endpoint: 'PJSIP/carrier' }] })).toThrow(/placeholder|\{number\}/);
    expect(() => parseAriConfig({ ...minimal, nodes: [minimal.nodes[0], minimal.nodes[0]] })).toThrow(/unique/);
  });

  it('reads a multi-node setup from ARI_NODES and a single node from ARI_URL', () => {
    const multi = ariConfigFromEnv({
      ARI_NODES: JSON.stringify([
        { name: 'pbx1', url: 'http://a:8088', username: 'u', password: 'p', app: 'calltrail' },
        { name: 'pbx2', url: 'http://b:8088', username: 'u', password: 'p', app: 'calltrail' },
      ]),
      ARI_TRUNK_ENDPOINT: 'PJSIP/{number}@carrier',
      ARI_TRUNK_CPS: '3',
    });
    expect(multi.nodes.map((n) => n.name)).toEqual(['pbx1', 'pbx2']);
    expect(multi.trunks[0]!.callsPerSecond).toBe(3);

    const single = ariConfigFromEnv({
      ARI_URL: 'http://pbx:8088',
      ARI_USERNAME: 'calltrail',
      ARI_PASSWORD: 'secret',
      ARI_APP: 'dialer',
      ARI_TRUNK_ENDPOINT: 'PJSIP/{e164}@carrier',
      ARI_BREAKER_FAILURES: '5',
    });
    expect(single.nodes).toEqual([
      { name: 'asterisk', url: 'http://pbx:8088', username: 'calltrail', password: 'secret', app: 'dialer' },
    ]);
    expect(single.circuitBreaker.failureThreshold).toBe(5);
    expect(() => ariConfigFromEnv({ ARI_URL: 'http://pbx:8088', ARI_USERNAME: 'u', ARI_TRUNK_ENDPOINT: 'PJSIP/{number}@c', ARI_TRUNK_CPS: 'lots' })).toThrow();
  });
});

describe('trunks', () => {
  const trunks = parseAriConfig({
    nodes: [{ name: 'pbx', url: 'http://pbx:8088', username: 'u', password: 'p' }],
    trunks: [
      { name: 'world', endpoint: 'PJSIP/{number}@world' },
      { name: 'uk', endpoint: 'PJSIP/{e164}@uk', prefixes: ['+44'] },
      { name: 'london', endpoint: 'PJSIP/{number}@london', prefixes: ['+4420'] },
    ],
  }).trunks;

  it('picks the longest matching prefix and falls back to the catch-all trunk', () => {
    expect(trunkFor(trunks, '+442071234567')?.name).toBe('london');
    expect(trunkFor(trunks, '+441611234567')?.name).toBe('uk');
    expect(trunkFor(trunks, '+923001234567')?.name).toBe('world');
  });

  it('fills {number} without the plus and {e164} with it', () => {
    expect(dialString('PJSIP/{number}@carrier', '+923001234567')).toBe('PJSIP/923001234567@carrier');
    expect(dialString('PJSIP/{e164}@carrier', '+923001234567')).toBe('PJSIP/+923001234567@carrier');
  });
});

describe('channel ids and routing', () => {
  it('derives the channel id from the call id and back', () => {
    const callId = '0b6f4f0e-4a43-4a4c-9d0e-6b1f1f7c2a11';
    expect(channelIdFor(callId)).toBe(channelIdFor(callId));
    expect(callIdFromChannelId(channelIdFor(callId))).toBe(callId);
    expect(callIdFromChannelId('PJSIP/someone-else')).toBeNull();
  });

  it('ranks nodes the same way every time for a call, and spreads calls over nodes', () => {
    const nodes = [{ name: 'pbx1' }, { name: 'pbx2' }, { name: 'pbx3' }];
    expect(nodesInPreferenceOrder('call-a', nodes)).toEqual(nodesInPreferenceOrder('call-a', [...nodes].reverse()));
    const firstChoices = new Set(
      Array.from({ length: 60 }, (_, i) => nodesInPreferenceOrder(`call-${i}`, nodes)[0]!.name),
    );
    expect(firstChoices.size).toBe(3);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and half-opens after the cool-down', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(clock, { failureThreshold: 3, coolDownMs: 1000 });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);

    clock.advance(1000);
    expect(breaker.state()).toBe('half_open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // only one trial at a time
  });

  it('a failed trial reopens at once; a successful one closes it', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker(clock, { failureThreshold: 2, coolDownMs: 500 });
    breaker.recordFailure();
    breaker.recordFailure();
    clock.advance(500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state()).toBe('open');
    clock.advance(500);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state()).toBe('closed');
  });

  it('a success between failures resets the count', () => {
    const breaker = new CircuitBreaker(new ManualClock(), { failureThreshold: 2, coolDownMs: 500 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state()).toBe('closed');
  });
});

describe('TokenBucket', () => {
  it('lets a burst of one second through, then queues the rest in order at the rate', async () => {
    const clock = new ManualClock();
    const timers = new ManualTimers(clock);
    const bucket = new TokenBucket(2, clock, timers);
    const admitted: number[] = [];
    const takes = Array.from({ length: 5 }, (_, i) => bucket.take().then(() => admitted.push(i)));
    await Promise.resolve();
    expect(admitted).toEqual([0, 1]);
    expect(bucket.queued()).toBe(3);

    timers.advance(499);
    await Promise.resolve();
    expect(admitted).toEqual([0, 1]);
    timers.advance(1);
    await Promise.resolve();
    expect(admitted).toEqual([0, 1, 2]);

    timers.advance(1000);
    await Promise.all(takes);
    expect(admitted).toEqual([0, 1, 2, 3, 4]); // nobody dropped, order kept
  });
});

describe('MaxDurationWatchdog', () => {
  it('hangs up at the max duration and gives up after the grace period if the PBX stays silent', async () => {
    const clock = new ManualClock();
    const timers = new ManualTimers(clock);
    const hungUp: string[] = [];
    const givenUp: string[] = [];
    const watchdog = new MaxDurationWatchdog(timers, 5000, {
      hangup: async (callId) => void hungUp.push(callId),
      giveUp: (callId) => void givenUp.push(callId),
    });
    watchdog.arm('call-1', 60);
    timers.advance(59_999);
    expect(hungUp).toEqual([]);
    timers.advance(1);
    expect(hungUp).toEqual(['call-1']);
    timers.advance(4_999);
    expect(givenUp).toEqual([]);
    timers.advance(1);
    expect(givenUp).toEqual(['call-1']);
    expect(watchdog.isArmed('call-1')).toBe(false);
  });

  it('does nothing for a call that ended in time', () => {
    const clock = new ManualClock();
    const timers = new ManualTimers(clock);
    const actions: string[] = [];
    const watchdog = new MaxDurationWatchdog(timers, 1000, {
      hangup: async (id) => void actions.push(`hangup ${id}`),
      giveUp: (id) => void actions.push(`give up ${id}`),
    });
    watchdog.arm('call-1', 10);
    watchdog.disarm('call-1');
    timers.advance(60_000);
    expect(actions).toEqual([]);
  });
});
