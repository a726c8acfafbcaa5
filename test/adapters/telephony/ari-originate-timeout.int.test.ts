import { afterEach, describe, expect, it } from 'vitest';
import { startAriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { createAriTelephony, type AriTelephony } from '../../../src/adapters/telephony/ari/index.ts';
import { ORIGINATE_NEVER_CONFIRMED } from '../../../src/adapters/telephony/ari/ari-telephony.ts';
import {
  OriginateOutcomeUnknownError,
  TelephonyUnavailableError,
  type OriginateRequest,
} from '../../../src/adapters/telephony/port.ts';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { eventually, OutcomeLog } from '../../contracts/telephony.contract.ts';
import { faultyProxy } from './support/faulty-proxy.ts';
import { originateRequest } from './support/originate-request.ts';

/**
 * An originate whose reply is lost may still have dialled someone. These tests pin down that the
 * adapter never reports such a call as failed while its channel may exist.
 */
describe('an originate that times out', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const sim = await startAriSimulator({ timeScale: 0.01 });
    cleanups.push(() => sim.close());
    const proxy = await faultyProxy(sim);
    cleanups.push(() => proxy.close());
    const telephony: AriTelephony = createAriTelephony(
      {
        nodes: [{ name: 'pbx1', url: proxy.url, username: sim.username, password: sim.password }],
        trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier', callsPerSecond: 100 }],
        requestTimeoutMs: 200,
        watchdogGraceSeconds: 0.2,
        circuitBreaker: { failureThreshold: 10, coolDownMs: 1000 },
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      },
      { clock: systemClock },
    );
    cleanups.push(() => telephony.close());
    const log = new OutcomeLog(telephony);
    cleanups.push(async () => log.stop());
    await eventually(async () => (await telephony.health()).ok, 5000, 'node connected');
    return { sim, proxy, telephony, log };
  }

  const request = (to: string): OriginateRequest => originateRequest(to, { ringTimeoutSeconds: 1 });

  it('is confirmed, not failed, when the channel turns out to exist', async () => {
    const { sim, proxy, telephony, log } = await setup();
    proxy.delayOriginateReplies(600);
    const call = request('+923001230486'); // busy: ends quickly with cause 17
    await expect(telephony.originate(call)).resolves.toEqual({ channelId: `calltrail-${call.callId}` });
    const [ended] = await log.waitFor(call.callId, 'ended', 5000);
    expect(ended).toMatchObject({ cause: 17, answered: false });
    expect(sim.originated().filter((o) => o.channelId === `calltrail-${call.callId}`)).toHaveLength(1);
  });

  it('reports the outcome as unknown when the node cannot be asked, and still relays what the call does', async () => {
    const { proxy, telephony, log } = await setup();
    proxy.delayOriginateReplies(600);
    proxy.failChannelLookups(true);
    // rings out after 60 simulated seconds (0.6 s real): still alive when the originate times out
    const call = { ...request('+923001230408'), ringTimeoutSeconds: 60 };
    await expect(telephony.originate(call)).rejects.toBeInstanceOf(OriginateOutcomeUnknownError);
    await log.waitFor(call.callId, 'ringing', 5000);
    const [ended] = await log.waitFor(call.callId, 'ended', 5000);
    expect(ended).toMatchObject({ cause: 19, reason: null });
  });

  it('ends the call as never confirmed only once the node says the channel does not exist', async () => {
    const { proxy, telephony, log } = await setup();
    proxy.dropOriginates(true);
    proxy.failChannelLookups(true);
    const call = request('+923001234567');
    await expect(telephony.originate(call)).rejects.toBeInstanceOf(OriginateOutcomeUnknownError);
    expect(log.of(call.callId)).toEqual([]);
    proxy.failChannelLookups(false);
    const [ended] = await log.waitFor(call.callId, 'ended', 5000);
    expect(ended).toMatchObject({ cause: null, reason: ORIGINATE_NEVER_CONFIRMED, answered: false });
  });

  it('fails for certain when the node answers that no channel was created', async () => {
    const { proxy, telephony, log } = await setup();
    proxy.dropOriginates(true);
    const call = request('+923001234567');
    await expect(telephony.originate(call)).rejects.toBeInstanceOf(TelephonyUnavailableError);
    expect(log.of(call.callId)).toEqual([]);
  });
});
