import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/domain/shared/clock.ts';
import { TelephonyUnavailableError, type OriginateRequest } from '../../../src/adapters/telephony/port.ts';
import { startAriSimulator, type AriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { createAriTelephony, type AriTelephony } from '../../../src/adapters/telephony/ari/index.ts';
import { nodesInPreferenceOrder } from '../../../src/adapters/telephony/ari/routing.ts';
import { eventually, OutcomeLog } from '../../contracts/telephony.contract.ts';
import { faultyProxy, type FaultyProxy } from './support/faulty-proxy.ts';

const request = (): OriginateRequest => ({
  callId: randomUUID(),
  tenantId: 'tenant-a',
  to: '+15550100103',
  callerId: null,
  media: null,
  record: false,
  ringTimeoutSeconds: 30,
  maxDurationSeconds: 300,
});

describe('circuit breaker per node (REST failing, socket up)', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(nodeCount: 1 | 2, coolDownMs: number) {
    const sims: AriSimulator[] = [];
    const proxies: FaultyProxy[] = [];
    for (let i = 0; i < nodeCount; i++) {
      const sim = await startAriSimulator({ timeScale: 0.01 });
      cleanups.push(() => sim.close());
      const proxy = await faultyProxy(sim);
      cleanups.push(() => proxy.close());
      sims.push(sim);
      proxies.push(proxy);
    }
    const telephony: AriTelephony = createAriTelephony(
      {
        nodes: proxies.map((proxy, i) => ({ name: `pbx${i + 1}`, url: proxy.url, username: sims[i]!.username, password: sims[i]!.password })),
        trunks: [{ name: 'carrier', endpoint: 'PJSIP/{number}@carrier', callsPerSecond: 100 }],
        circuitBreaker: { failureThreshold: 2, coolDownMs },
        reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
      },
      { clock: systemClock },
    );
    cleanups.push(() => telephony.close());
    await eventually(async () => (await telephony.health()).nodes.every((n) => n.ok), 5000, 'nodes connected');
    return { sims, proxies, telephony };
  }

  it('opens after consecutive failures, stops sending, then a trial after the cool-down closes it', async () => {
    const { proxies, telephony } = await setup(1, 400);
    const proxy = proxies[0]!;
    proxy.failOriginates(true);

    for (let i = 0; i < 2; i++) {
      await expect(telephony.originate(request())).rejects.toBeInstanceOf(TelephonyUnavailableError);
    }
    expect(proxy.originatesSeen()).toBe(2);
    expect((await telephony.health()).nodes[0]).toMatchObject({ ok: false, detail: 'circuit open' });

    // Open: refused without troubling the node.
    await expect(telephony.originate(request())).rejects.toBeInstanceOf(TelephonyUnavailableError);
    expect(proxy.originatesSeen()).toBe(2);

    proxy.failOriginates(false);
    await eventually(async () => (await telephony.health()).nodes[0]!.detail === 'circuit half-open', 2000, 'half-open');
    const log = new OutcomeLog(telephony);
    cleanups.push(async () => log.stop());
    const trial = request();
    await telephony.originate(trial);
    expect(proxy.originatesSeen()).toBe(3);
    expect((await telephony.health()).nodes[0]).toMatchObject({ ok: true, detail: 'ok' });
    await log.waitFor(trial.callId, 'ended', 3000);
  });

  it('fails over to the healthy node within the same originate', async () => {
    const { sims, proxies, telephony } = await setup(2, 60_000);
    proxies[0]!.failOriginates(true);
    const log = new OutcomeLog(telephony);
    cleanups.push(async () => log.stop());
    // Calls whose preferred node is the failing one, so each would go there first.
    const calls: OriginateRequest[] = [];
    while (calls.length < 6) {
      const call = request();
      if (nodesInPreferenceOrder(call.callId, [{ name: 'pbx1' }, { name: 'pbx2' }])[0]!.name === 'pbx1') calls.push(call);
    }
    for (const call of calls) await telephony.originate(call);
    for (const call of calls) await log.waitFor(call.callId, 'ended', 3000);
    const created = (sim: AriSimulator) => sim.originated().filter((o) => o.result === 'created').length;
    expect(created(sims[0]!)).toBe(0);
    expect(created(sims[1]!)).toBe(6);
    // The failing node was tried until its breaker opened, then left alone.
    expect(proxies[0]!.originatesSeen()).toBe(2);
  });
});
