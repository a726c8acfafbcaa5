import { afterEach, describe, expect, it } from 'vitest';
import { startAriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { createAriTelephony, LOST_WHILE_DISCONNECTED, type AriTelephony } from '../../../src/adapters/telephony/ari/index.ts';
import { ManualClock } from '../../../src/domain/shared/clock.ts';
import { eventually, OutcomeLog } from '../../contracts/telephony.contract.ts';
import { originateRequest } from './support/originate-request.ts';

/**
 * A call lost in a PBX crash must carry the last moment the PBX showed its channel alive, so it
 * can be billed to there and not to the moment the engine noticed. The adapter's clock is manual
 * and an hour off the simulator's (which also runs 100× fast): marks are on the PBX's clock, so the
 * tests compare spans, which only the manual clock moves between two events.
 */
describe('ARI adapter: the last fact seen about a lost call', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function world() {
    const sim = await startAriSimulator({ timeScale: 0.01 });
    cleanups.push(() => sim.close());
    const clock = new ManualClock(new Date(Date.now() + 3_600_000));
    const telephony: AriTelephony = createAriTelephony(
      {
        nodes: [{ name: 'pbx1', url: sim.url, username: sim.username, password: sim.password }],
        trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier', callsPerSecond: 100 }],
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
        // Only the sweeps the test runs by hand.
        heartbeatIntervalMs: 3_600_000,
      },
      { clock },
    );
    cleanups.push(() => telephony.close());
    await eventually(async () => (await telephony.health()).ok, 5000, 'the node connected');
    const log = new OutcomeLog(telephony);
    cleanups.push(async () => log.stop());
    return { sim, clock, telephony, log };
  }

  const request = (to: string) => originateRequest(to);

  it('reports the last heartbeat that listed the channel, not the moment of detection', async () => {
    const { sim, clock, telephony, log } = await world();
    const call = request('+923001234567');
    await telephony.originate(call);
    await log.waitFor(call.callId, 'answered', 5000);

    const afterAnswer = telephony.lastSeenAt(call.callId)!;
    clock.advance(45_000);
    await telephony.heartbeatNow();
    const heartbeat = telephony.lastSeenAt(call.callId)!;
    expect(Date.parse(heartbeat) - Date.parse(afterAnswer)).toBeGreaterThanOrEqual(45_000);

    clock.advance(60_000); // a minute passes with no word from the PBX, then it crashes
    await sim.restart({ downForMs: 100 });
    const [ended] = await log.waitFor(call.callId, 'ended', 10_000);
    expect(ended).toMatchObject({ answered: true, cause: null, reason: LOST_WHILE_DISCONNECTED, lastSeenAt: heartbeat });
    expect(Date.parse(ended!.at) - Date.parse(heartbeat)).toBeGreaterThanOrEqual(60_000);
  });

  it('without a heartbeat, the last ARI event about the channel is the last fact', async () => {
    const { sim, clock, telephony, log } = await world();
    const call = request('+923001234567');
    await telephony.originate(call);
    const [answered] = await log.waitFor(call.callId, 'answered', 5000);
    clock.advance(60_000);
    await sim.restart({ downForMs: 100 });

    const [ended] = await log.waitFor(call.callId, 'ended', 10_000);
    expect(ended!.cause).toBeNull();
    // The last event about the channel is the answer, or a state change just after it.
    const lastSeen = Date.parse(ended!.lastSeenAt!);
    expect(lastSeen).toBeGreaterThanOrEqual(Date.parse(answered!.at));
    expect(Date.parse(ended!.at) - lastSeen).toBeGreaterThanOrEqual(30_000);
  });

  it('a heartbeat while the node is down proves nothing and moves no mark', async () => {
    const { sim, clock, telephony, log } = await world();
    const call = request('+923001234567');
    await telephony.originate(call);
    await log.waitFor(call.callId, 'answered', 5000);
    await telephony.heartbeatNow();
    const heartbeat = telephony.lastSeenAt(call.callId);

    sim.setDown(true);
    await eventually(async () => !(await telephony.health()).ok, 5000, 'the drop to be noticed');
    clock.advance(30_000);
    await telephony.heartbeatNow();
    clock.advance(30_000);
    await sim.restart({ downForMs: 50 });

    expect(telephony.lastSeenAt(call.callId)).toBe(heartbeat);
    const [ended] = await log.waitFor(call.callId, 'ended', 10_000);
    expect(ended!.lastSeenAt).toBe(heartbeat);
  });
});
