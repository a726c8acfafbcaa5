import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { TelephonyUnavailableError } from '../../../src/adapters/telephony/port.ts';
import { startAriSimulator, type AriSimulator, type AriSimulatorOptions } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { playbackIdFor, recordingNameFor, snoopIdFor } from '../../../src/adapters/telephony/ari/identifiers.ts';
import {
  channelIdFor,
  createAriTelephony,
  type AriConfigInput,
  type AriTelephony,
  type AriTelephonyDeps,
} from '../../../src/adapters/telephony/ari/index.ts';
import { eventually, OutcomeLog, telephonyContract } from '../../contracts/telephony.contract.ts';
import { REAL_ASTERISK_ENDPOINT, realAsteriskNumbers, SIMULATOR_NUMBERS } from './support/contract-numbers.ts';
import { originateRequest } from './support/originate-request.ts';

// 100× faster than real life: ringing 5 ms, answer 15 ms, a 30 s ring timeout 300 ms.
const TIME_SCALE = 0.01;

function adapterConfig(sims: readonly AriSimulator[], overrides: Partial<AriConfigInput> = {}): AriConfigInput {
  return {
    nodes: sims.map((sim, i) => ({
      name: `pbx${i + 1}`,
      url: sim.url,
      username: sim.username,
      password: sim.password,
    })),
    trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier', callsPerSecond: 100, callerId: '+15550000000' }],
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    circuitBreaker: { failureThreshold: 2, coolDownMs: 300 },
    ...overrides,
  };
}

async function connectedAdapter(
  sims: readonly AriSimulator[],
  overrides: Partial<AriConfigInput> = {},
  deps: Partial<AriTelephonyDeps> = {},
): Promise<AriTelephony> {
  const telephony = createAriTelephony(adapterConfig(sims, overrides), { clock: systemClock, ...deps });
  await eventually(async () => (await telephony.health()).nodes.every((n) => n.ok), 5000, 'every node connected');
  return telephony;
}

const createdChannels = (sim: AriSimulator) =>
  sim.originated().filter((o) => o.result === 'created').map((o) => o.channelId);

telephonyContract('ARI adapter on the ARI simulator', {
  numbers: SIMULATOR_NUMBERS,
  media: 'sound:hello-world',
  ringTimeoutSeconds: 30,
  outcomeTimeoutMs: 3000,
  async setup() {
    const sim = await startAriSimulator({ timeScale: TIME_SCALE });
    const telephony = await connectedAdapter([sim]);
    return {
      telephony,
      sim,
      async teardown() {
        await telephony.close();
        await sim.close();
      },
    };
  },
  async channelsCreated(fixture, channelId) {
    return createdChannels(fixture.sim).filter((id) => id === channelId).length;
  },
  async restartPbx(fixture) {
    await fixture.sim.restart({ downForMs: 100 });
  },
  async setPbxDown(fixture, down) {
    fixture.sim.setDown(down);
  },
  async twoNodes() {
    const sims = [await startAriSimulator({ timeScale: TIME_SCALE }), await startAriSimulator({ timeScale: TIME_SCALE })];
    const telephony = await connectedAdapter(sims);
    return {
      telephony,
      async takeFirstNodeDown() {
        sims[0]!.setDown(true);
      },
      async channelsCreated() {
        return { first: createdChannels(sims[0]!), second: createdChannels(sims[1]!) };
      },
      async teardown() {
        await telephony.close();
        await Promise.all(sims.map((sim) => sim.close()));
      },
    };
  },
});

describe('ARI adapter specifics (on the simulator)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function world(
    overrides: Partial<AriConfigInput> = {},
    deps: Partial<AriTelephonyDeps> = {},
    simOptions: AriSimulatorOptions = {},
  ) {
    const sim = await startAriSimulator({ timeScale: TIME_SCALE, ...simOptions });
    cleanups.push(() => sim.close());
    const telephony = await connectedAdapter([sim], overrides, deps);
    cleanups.push(() => telephony.close());
    const log = new OutcomeLog(telephony);
    cleanups.push(async () => log.stop());
    return { sim, telephony, log };
  }

  const request = originateRequest;

  it('dials the trunk template with the call id channel, caller id and call variables', async () => {
    const { sim, telephony, log } = await world();
    const call = request(SIMULATOR_NUMBERS.answeredStaysUp);
    const { channelId } = await telephony.originate(call);
    expect(channelId).toBe(channelIdFor(call.callId));
    await log.waitFor(call.callId, 'answered', 3000);
    const channel = sim.channels().find((c) => c.id === channelId);
    expect(channel).toMatchObject({
      endpoint: 'PJSIP/923001234567@carrier',
      app: 'calltrail',
      variables: { CALLTRAIL_CALL_ID: call.callId, CALLTRAIL_TENANT_ID: 'tenant-a' },
    });
    const [answered] = await log.waitFor(call.callId, 'answered', 0);
    expect(answered!.at).toMatch(/Z$/);
  });

  it('routes test-mode calls to the test trunk, and refuses them when none is configured', async () => {
    const { sim, telephony, log } = await world({ testTrunk: { name: 'test', endpoint: 'PJSIP/{number}@calltrail-test' } });
    const call = request(SIMULATOR_NUMBERS.answeredCalleeHangsUp, { testMode: true });
    await telephony.originate(call);
    await log.waitFor(call.callId, 'ended', 3000);
    expect(sim.originated().find((o) => o.channelId === channelIdFor(call.callId))?.endpoint).toBe(
      'PJSIP/15550100103@calltrail-test',
    );

    const plain = await world();
    await expect(plain.telephony.originate(request(SIMULATOR_NUMBERS.answeredStaysUp, { testMode: true }))).rejects.toThrow(/testTrunk/);
  });

  it('keeps originates under the trunk cap by queueing, never dropping', async () => {
    const { sim, telephony } = await world({
      trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier', callsPerSecond: 4 }],
    });
    const calls = Array.from({ length: 7 }, () => request(SIMULATOR_NUMBERS.answeredCalleeHangsUp));
    const started = Date.now();
    await Promise.all(calls.map((call) => telephony.originate(call)));
    // 4 go at once, the other 3 at 250 ms intervals.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(createdChannels(sim)).toHaveLength(7);
  });

  it('the max-duration watchdog hangs up a call that runs too long', async () => {
    const { telephony, log } = await world();
    const call = request(SIMULATOR_NUMBERS.answeredStaysUp, { maxDurationSeconds: 1 });
    await telephony.originate(call);
    const [answered] = await log.waitFor(call.callId, 'answered', 3000);
    const answeredLocally = Date.now();
    const [ended] = await log.waitFor(call.callId, 'ended', 4000);
    expect(Date.now() - answeredLocally).toBeGreaterThanOrEqual(900);
    expect(ended).toMatchObject({ answered: true, cause: 16, reason: null });
    expect(answered).toBeDefined();
  });

  it('the watchdog ends the call itself when the PBX never confirms the hangup', async () => {
    const { sim, telephony, log } = await world({ watchdogGraceSeconds: 0.3 });
    const call = request(SIMULATOR_NUMBERS.answeredStaysUp, { maxDurationSeconds: 1 });
    await telephony.originate(call);
    await log.waitFor(call.callId, 'answered', 3000);
    sim.setDown(true);
    const [ended] = await log.waitFor(call.callId, 'ended', 4000);
    expect(ended).toMatchObject({ answered: true, cause: null, reason: 'max duration watchdog' });
    sim.setDown(false);
  });

  it('a dropped WebSocket with the call still alive ends nothing; the call carries on', async () => {
    const { sim, telephony, log } = await world();
    const call = request(SIMULATOR_NUMBERS.answeredStaysUp);
    await telephony.originate(call);
    await log.waitFor(call.callId, 'answered', 3000);
    sim.dropWebSockets();
    await eventually(async () => !(await telephony.health()).ok, 3000, 'the drop to be noticed');
    await eventually(async () => (await telephony.health()).ok, 5000, 'the reconnect');
    await telephony.reconciled();
    expect(sim.channels().map((c) => c.id)).toEqual([channelIdFor(call.callId)]);
    expect(log.kinds(call.callId)).not.toContain('ended');
    await telephony.hangup(call.callId);
    const [ended] = await log.waitFor(call.callId, 'ended', 3000);
    expect(ended).toMatchObject({ answered: true, cause: 16, reason: null });
  });

  it('after a process restart, rebuilds its map from the store and reconciles it with the PBX', async () => {
    const first = await world();
    const live = request(SIMULATOR_NUMBERS.answeredStaysUp);
    await first.telephony.originate(live);
    await first.log.waitFor(live.callId, 'answered', 3000);
    await first.telephony.close();

    const ghost = randomUUID();
    const second = createAriTelephony(adapterConfig([first.sim]), {
      clock: systemClock,
      inFlightCalls: async () => [
        { callId: live.callId, tenantId: 'tenant-a', answered: true },
        { callId: ghost, tenantId: 'tenant-b' },
      ],
    });
    cleanups.push(() => second.close());
    const log = new OutcomeLog(second);
    cleanups.push(async () => log.stop());

    const [lost] = await log.waitFor(ghost, 'ended', 5000);
    expect(lost).toMatchObject({ tenantId: 'tenant-b', answered: false, cause: null, reason: 'lost while disconnected' });
    expect(log.kinds(live.callId)).toEqual([]);

    // The rebuilt call is still ours: a retried originate does not dial again, and hangup works.
    await second.originate(live);
    expect(createdChannels(first.sim).filter((id) => id === channelIdFor(live.callId))).toHaveLength(1);
    await second.hangup(live.callId);
    const [ended] = await log.waitFor(live.callId, 'ended', 3000);
    expect(ended).toMatchObject({ tenantId: 'tenant-a', answered: true, cause: 16 });
  });

  it('keeps what a restart\'s reconciliation found for whoever subscribes first, however late', async () => {
    // An engine connects (and reconciles) while it is still starting, before its dialer listens.
    const { sim } = await world();
    const ghost = randomUUID();
    const restarted = createAriTelephony(adapterConfig([sim]), {
      clock: systemClock,
      inFlightCalls: async () => [{ callId: ghost, tenantId: 'tenant-b' }],
    });
    cleanups.push(() => restarted.close());
    await eventually(async () => (await restarted.health()).ok, 5000, 'the node connected');
    await restarted.reconciled();

    const log = new OutcomeLog(restarted);
    cleanups.push(async () => log.stop());
    const [lost] = await log.waitFor(ghost, 'ended', 1000);
    expect(lost).toMatchObject({ tenantId: 'tenant-b', cause: null, reason: 'lost while disconnected' });
  });

  it('records through a snoop that hears both directions, under the call\'s recording name, and the snoop goes with the call', async () => {
    // A 30 s broadcast (300 ms real): long enough to look at both channels while it plays.
    const { sim, telephony, log } = await world({}, {}, { playbackMs: 30_000 });
    const call = request(SIMULATOR_NUMBERS.answeredStaysUp, { media: 'sound:hello-world', record: true });
    const callChannel = channelIdFor(call.callId);
    await telephony.originate(call);
    await log.waitFor(call.callId, 'playback_started', 3000);
    await eventually(() => sim.channels().some((c) => c.id === snoopIdFor(call.callId) && c.recording !== null), 3000, 'the snoop recording');
    const snoop = sim.channels().find((c) => c.id === snoopIdFor(call.callId));
    expect(snoop).toMatchObject({
      app: 'calltrail',
      inStasis: true,
      snooping: { channelId: callChannel, spy: 'both', whisper: 'none' },
      recording: recordingNameFor(call.callId),
    });
    // The call channel's own media queue holds only the broadcast.
    expect(sim.channels().find((c) => c.id === callChannel)).toMatchObject({ recording: null, playbackIds: [playbackIdFor(call.callId)] });

    const [stored] = await log.waitFor(call.callId, 'recording_stored', 3000);
    expect(stored).toMatchObject({ name: recordingNameFor(call.callId), format: 'wav' });
    expect(sim.recordings()).toMatchObject([{ name: recordingNameFor(call.callId), channelId: snoopIdFor(call.callId) }]);
    await eventually(() => sim.channels().length === 0, 3000, 'the call and its snoop to be gone');
    expect(log.kinds(call.callId)).toEqual(['ringing', 'answered', 'playback_started', 'playback_finished', 'ended', 'recording_stored']);
  });

  it('hangs the snoop up at once when its recording cannot start, and leaves the call up', async () => {
    const errors: string[] = [];
    const logger = { info() {}, warn() {}, error: (message: string) => void errors.push(message) };
    const { sim, telephony, log } = await world({ recordingFormat: 'mp3' }, { logger });
    const call = request(SIMULATOR_NUMBERS.answeredStaysUp, { record: true });
    await telephony.originate(call);
    await eventually(() => errors.includes('could not start recording'), 3000, 'the refused recording');
    await eventually(() => !sim.channels().some((c) => c.id === snoopIdFor(call.callId)), 3000, 'the snoop to be hung up');
    expect(sim.channels().map((c) => c.id)).toEqual([channelIdFor(call.callId)]);
    await telephony.hangup(call.callId);
    await log.waitFor(call.callId, 'ended', 3000);
    expect(log.kinds(call.callId)).toEqual(['ringing', 'answered', 'ended']);
    expect(sim.recordings()).toEqual([]);
  });

  it('a closed adapter refuses work and emits nothing more', async () => {
    const { telephony } = await world();
    await telephony.close();
    await expect(telephony.originate(request(SIMULATOR_NUMBERS.answeredStaysUp))).rejects.toBeInstanceOf(TelephonyUnavailableError);
  });
});

const realAsterisk = {
  url: process.env['TEST_ARI_URL'],
  username: process.env['TEST_ARI_USERNAME'],
  password: process.env['TEST_ARI_PASSWORD'],
};
const haveRealAsterisk = Boolean(realAsterisk.url && realAsterisk.username && realAsterisk.password);
if (!haveRealAsterisk) {
  console.log('Skipping the telephony contract on real Asterisk: set TEST_ARI_URL, TEST_ARI_USERNAME, TEST_ARI_PASSWORD');
}

describe.skipIf(!haveRealAsterisk)('real Asterisk', () => {
  // The shipped dialplan's calltrail-test context is generated from the simulator's rules, so the
  // simulator's numbers reach the same outcomes there (test/deploy/asterisk-dialplan.unit.test.ts).
  const env = (name: string, fallback: string) => process.env[name] ?? fallback;
  telephonyContract('ARI adapter on real Asterisk', {
    numbers: realAsteriskNumbers(process.env),
    media: env('TEST_ARI_MEDIA', 'sound:hello-world'),
    ringTimeoutSeconds: Number(env('TEST_ARI_RING_TIMEOUT_SECONDS', '5')),
    outcomeTimeoutMs: 15_000,
    async setup() {
      const telephony = createAriTelephony(
        {
          nodes: [
            {
              name: 'asterisk',
              url: realAsterisk.url!,
              username: realAsterisk.username!,
              password: realAsterisk.password!,
              app: env('TEST_ARI_APP', 'calltrail'),
            },
          ],
          trunks: [{ name: 'test', endpoint: env('TEST_ARI_ENDPOINT', REAL_ASTERISK_ENDPOINT) }],
        },
        { clock: systemClock },
      );
      await eventually(async () => (await telephony.health()).ok, 10_000, 'Asterisk connected');
      return { telephony, teardown: () => telephony.close() };
    },
  });
});
