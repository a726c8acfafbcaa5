import { describe, expect, it } from 'vitest';
import type { AriEventPayloads } from '../../../src/adapters/telephony/ari-simulator/ari-json.ts';
import { causeText, hangupCause } from '../../../src/adapters/telephony/ari-simulator/causes.ts';
import { parseEndpoint } from '../../../src/adapters/telephony/ari-simulator/endpoint.ts';
import { TrunkRateLimiter } from '../../../src/adapters/telephony/ari-simulator/rate-limit.ts';
import { DEFAULT_RULES, scriptFor, type OutcomeRule } from '../../../src/adapters/telephony/ari-simulator/rules.ts';
import { asteriskTimestamp, SimClock } from '../../../src/adapters/telephony/ari-simulator/sim-clock.ts';
import { apiDeclaration, resourceListing } from '../../../src/adapters/telephony/ari-simulator/swagger/api-docs.ts';
import { TimerGroup } from '../../../src/adapters/telephony/ari-simulator/timers.ts';
import { SimWorld, type SimChannel } from '../../../src/adapters/telephony/ari-simulator/world.ts';
import type { EventHub } from '../../../src/adapters/telephony/ari-simulator/event-hub.ts';
import { MediaQueue, playbackKey, recordingKey } from '../../../src/adapters/telephony/ari-simulator/media-queue.ts';
import { RESOURCES } from '../../../src/adapters/telephony/ari-simulator/swagger/resources.ts';
import { channelRoutes } from '../../../src/adapters/telephony/ari-simulator/routes/channels.ts';
import { infoRoutes } from '../../../src/adapters/telephony/ari-simulator/routes/info.ts';
import { mediaRoutes } from '../../../src/adapters/telephony/ari-simulator/routes/media.ts';
import { isWav, silentWav, wavDurationMs } from '../../../src/adapters/telephony/ari-simulator/wav.ts';

describe('outcome rules: the documented table', () => {
  const outcomeOf = (number: string) => scriptFor(number.replace('+', ''), DEFAULT_RULES);

  it.each([
    ['+923001230486', 'busy', { outcome: 'fail', cause: 17 }],
    ['+923001230404', 'unallocated', { outcome: 'fail', cause: 1 }],
    ['+923001230503', 'congestion', { outcome: 'fail', cause: 34 }],
    ['+923001230603', 'rejected', { outcome: 'fail', cause: 21 }],
    ['+923001230408', 'no answer', { outcome: 'no-answer' }],
    ['+923001230212', 'answer after NN seconds', { outcome: 'answer', answerAfterMs: 12_000 }],
    ['+923001230130', 'callee hangs up NN seconds after answer', { outcome: 'answer', calleeHangupAfterMs: 30_000 }],
    ['+923001230795', 'callee presses two digits', { outcome: 'answer', dtmf: { digits: '95', afterAnswerMs: 1000, gapMs: 500 } }],
    ['+923001234567', 'answer', { outcome: 'answer', answerAfterMs: 1500 }],
  ])('%s → %s', (number, rule, expected) => {
    const { rule: matched, script } = outcomeOf(number);
    expect(matched).toBe(rule);
    expect(script).toMatchObject(expected);
  });

  it('tries custom rules before the defaults', () => {
    const custom: OutcomeRule = { name: 'always busy', when: /$/, script: { outcome: 'fail', cause: 17, ringingAfterMs: null, failAfterMs: 1 } };
    expect(scriptFor('923001234567', [custom, ...DEFAULT_RULES]).rule).toBe('always busy');
  });

  it('only matches the end of the number', () => {
    expect(scriptFor('04861234567', DEFAULT_RULES).rule).toBe('answer');
  });
});

describe('endpoint parsing', () => {
  it.each([
    ['PJSIP/+923001234567@carrier', { technology: 'PJSIP', digits: '923001234567', trunk: 'carrier' }],
    ['PJSIP/carrier/sip:+15550100486@10.0.0.1:5060', { technology: 'PJSIP', digits: '15550100486', trunk: 'carrier' }],
    ['SIP/923001234567', { technology: 'SIP', digits: '923001234567', trunk: 'SIP' }],
    ['Local/100@default', { technology: 'Local', digits: '', trunk: 'default' }],
  ])('%s', (endpoint, expected) => {
    expect(parseEndpoint(endpoint)).toEqual(expected);
  });

  it('refuses an endpoint without a technology', () => {
    expect(parseEndpoint('923001234567')).toBeNull();
    expect(parseEndpoint('PJSIP/')).toBeNull();
  });
});

describe('simulated time', () => {
  it('formats timestamps the way Asterisk does', () => {
    expect(asteriskTimestamp(Date.UTC(2026, 10, 23, 11, 16, 33, 123))).toBe('2026-11-23T11:16:33.123+0000');
  });

  it('runs the clock 1/timeScale times faster and shrinks delays by timeScale', () => {
    let wall = 1_000_000;
    const clock = new SimClock(0.01, () => wall);
    wall += 50;
    expect(clock.nowMs()).toBe(1_000_000 + 5000);
    expect(clock.realDelay(30_000)).toBe(300);
    expect(() => new SimClock(0)).toThrow(RangeError);
  });
});

describe('hangup causes', () => {
  it('maps reason words and numeric codes, and refuses nonsense', () => {
    expect(hangupCause(undefined, undefined)).toBe(16);
    expect(hangupCause('busy', undefined)).toBe(17);
    expect(hangupCause('21', undefined)).toBe(21);
    expect(hangupCause(undefined, 'congestion')).toBe(34);
    expect(hangupCause('whatever', undefined)).toBeNull();
    expect(causeText(17)).toBe('User busy');
  });
});

describe('trunk rate limit', () => {
  it('refuses attempts beyond the cap within the window, per trunk', () => {
    let now = 0;
    const limiter = new TrunkRateLimiter({ maxCalls: 2, windowMs: 1000 }, () => now);
    expect([limiter.admit('a'), limiter.admit('a'), limiter.admit('a')]).toEqual([true, true, false]);
    expect(limiter.admit('b')).toBe(true);
    now = 1500;
    expect(limiter.admit('a')).toBe(true);
    limiter.set(null);
    expect([1, 2, 3, 4].map(() => limiter.admit('a'))).toEqual([true, true, true, true]);
  });
});

describe('WAV', () => {
  it('writes silence whose header states its own length', () => {
    const file = silentWav(2.5);
    expect(isWav(file)).toBe(true);
    expect(wavDurationMs(file)).toBe(2500);
    expect(file.length).toBe(44 + 2.5 * 8000 * 2);
  });

  it('says null for anything that is not WAV', () => {
    expect(wavDurationMs(Buffer.from('<html>nope</html>'))).toBeNull();
    expect(isWav(Buffer.from('RIFF'))).toBe(false);
  });
});

describe('TimerGroup', () => {
  it('runs scripted instants in their order even when their timers fire out of order, and not after cancelAll', async () => {
    const timers = new TimerGroup();
    const ran: string[] = [];
    // Same real delay, so Node fires them in the order set; the later instant must still wait.
    timers.atInstant(0, 2000, (atMs) => ran.push(`answer@${atMs}`));
    timers.atInstant(0, 500, (atMs) => ran.push(`ringing@${atMs}`));
    timers.atInstant(5, 9000, () => ran.push('hangup'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(ran).toEqual(['ringing@500', 'answer@2000']);
    timers.cancelAll();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(ran).toEqual(['ringing@500', 'answer@2000']);
  });
});

describe('simulated time on a late event loop', () => {
  it('stamps a request no later than the channel\'s next scripted instant, however far the wall clock ran', () => {
    let wall = 1_000_000;
    const published: { type: string; timestamp: string }[] = [];
    const hub = { publish: (_app: string, event: { type: string; timestamp: string }) => published.push(event) } as unknown as EventHub;
    const world = new SimWorld(new SimClock(0.01, () => wall), hub, { rules: DEFAULT_RULES, playbackMs: 1000, mediaFetchTimeoutMs: 1000, asteriskId: 'sim' });
    const channel = { id: 'c', app: 'app', timers: new TimerGroup(), lastEventAtMs: 0 } as unknown as SimChannel;
    const hangupAt = world.clock.nowMs() + 61_000;
    world.schedule(channel, hangupAt, () => undefined);
    try {
      // 2 s of real lag at timeScale 0.01 is 200 simulated seconds: far past the scripted hangup.
      wall += 2_000;
      expect(world.channelNowMs(channel)).toBe(hangupAt);
      world.emit(channel, 'PlaybackStarted', {} as never);
      expect(published.at(-1)?.timestamp).toBe(asteriskTimestamp(hangupAt));
      // With nothing scripted ahead, the channel runs on the wall clock again.
      channel.timers.cancelAll();
      expect(world.channelNowMs(channel)).toBe(world.clock.nowMs());
      expect(world.channelNowMs(channel)).toBeGreaterThan(hangupAt);
    } finally {
      channel.timers.cancelAll();
    }
  });
});

describe('MediaQueue', () => {
  it('runs one operation at a time in order; one that ends early, or the channel going, drops what waits', () => {
    const queue = new MediaQueue();
    const begun: string[] = [];
    queue.enqueue(recordingKey('r'), () => begun.push('r'));
    queue.enqueue(playbackKey('a'), () => begun.push('a'));
    queue.enqueue(playbackKey('b'), () => begun.push('b'));
    queue.enqueue(playbackKey('c'), () => begun.push('c'));
    expect(begun).toEqual(['r']);
    queue.finished(playbackKey('b')); // stopped while it waited: it never begins
    queue.finished(recordingKey('r'));
    expect(begun).toEqual(['r', 'a']);
    expect(queue.isRunning(playbackKey('a'))).toBe(true);
    queue.close();
    queue.finished(playbackKey('a'));
    queue.enqueue(playbackKey('d'), () => begun.push('d'));
    expect(begun).toEqual(['r', 'a']);
  });
});

describe('swagger declarations', () => {
  it('declares every event the simulator can send, with its resource fields typed for ari-client', () => {
    const events = apiDeclaration('events', 'pbx:8088') as { models: Record<string, { properties: Record<string, { type: string }> }> };
    const sent: Record<keyof AriEventPayloads, string | null> = {
      ChannelStateChange: 'Channel',
      StasisStart: 'Channel',
      StasisEnd: 'Channel',
      ChannelDtmfReceived: 'Channel',
      ChannelHangupRequest: 'Channel',
      ChannelDestroyed: 'Channel',
      PlaybackStarted: 'Playback',
      PlaybackFinished: 'Playback',
      RecordingStarted: 'LiveRecording',
      RecordingFinished: 'LiveRecording',
    };
    for (const [type, resource] of Object.entries(sent)) {
      const properties = events.models[type]?.properties;
      expect(properties, type).toBeDefined();
      const typed = Object.values(properties ?? {}).map((property) => property.type);
      expect(typed, type).toContain(resource);
    }
  });

  it('declares every REST route the simulator answers, so ari-client can call each one', () => {
    const declared = new Set(
      RESOURCES.flatMap((resource) => resource.apis.flatMap((api) => api.operations.map((op) => `${op.httpMethod} ${api.path}`))),
    );
    const served = [...channelRoutes, ...mediaRoutes, ...infoRoutes]
      .filter((route) => !route.path.startsWith('/api-docs/'))
      .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(served).toContain('POST /channels/{channelId}/snoop/{snoopId}');
    expect(served.filter((route) => !declared.has(route))).toEqual([]);
  });

  it('lists each declared resource once, with basePath from the Host header', () => {
    const listing = resourceListing('pbx.example:8088') as { basePath: string; apis: Array<{ path: string }> };
    expect(listing.basePath).toBe('http://pbx.example:8088/ari');
    const names = listing.apis.map((api) => api.path);
    expect(names).toEqual([...new Set(names)]);
    for (const path of names) {
      const name = /\/api-docs\/(\w+)\.\{format\}/.exec(path)?.[1] ?? '';
      expect(apiDeclaration(name, 'h'), path).not.toBeNull();
    }
    expect(apiDeclaration('bridges', 'h')).toBeNull();
  });
});
