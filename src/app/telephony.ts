import { ariConfigFromEnv, type AriConfigInput } from '../adapters/telephony/ari/config.ts';
import { createAriTelephony } from '../adapters/telephony/ari/ari-telephony.ts';
import { startAriSimulator, type AriSimulator, type AriSimulatorOptions } from '../adapters/telephony/ari-simulator/index.ts';
import type { TelephonyPort } from '../adapters/telephony/port.ts';
import { testModeRouter } from '../adapters/telephony/mode-router.ts';
import type { EngineConfig } from './config.ts';
import type { TelephonyFactory } from './engine.ts';

/** True when the operator pointed calltrail at an Asterisk of their own. */
export function hasAsteriskConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ARI_URL || env.ARI_NODES);
}

/** The operator's Asterisk nodes, from ARI_URL/ARI_USERNAME/ARI_PASSWORD or ARI_NODES. */
export function asteriskTelephony(config: EngineConfig): TelephonyFactory {
  const ari = ariConfigFromEnv(config.env);
  return async (deps) => startAdapter(ari, deps);
}

/**
 * The sandbox: the ARI simulator in this process, driven by the very same ARI adapter production
 * uses. Outcomes follow the simulator's number rules (docs/ari-simulator.md).
 */
export function sandboxTelephony(
  options: {
    simulator?: AriSimulatorOptions;
    onSimulator?: (simulator: AriSimulator) => void;
    /** The sandbox trunk's originate cap. */
    callsPerSecond?: number;
    /** How often the adapter lists the simulator's channels (tests shorten it). */
    heartbeatIntervalMs?: number;
  } = {},
): TelephonyFactory {
  return async (deps) => {
    const simulator = await startAriSimulator(options.simulator ?? {});
    options.onSimulator?.(simulator);
    const adapter = await startAdapter(
      {
        nodes: [{ name: 'sandbox', url: simulator.url, username: simulator.username, password: simulator.password, app: 'calltrail' }],
        trunks: [{ name: 'sandbox', endpoint: 'PJSIP/{e164}@sandbox', callsPerSecond: options.callsPerSecond ?? 50 }],
        testTrunk: { name: 'sandbox-test', endpoint: 'PJSIP/{e164}@sandbox-test', callsPerSecond: options.callsPerSecond ?? 50 },
        // The simulator shares this process's event loop: under load its replies are late for the
        // same reason everything else is, which says nothing about its health.
        requestTimeoutMs: 30_000,
        ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
      },
      deps,
    );
    return withCleanup(adapter, () => simulator.close());
  };
}

async function startAdapter(config: AriConfigInput, deps: Parameters<TelephonyFactory>[0]): Promise<TelephonyPort> {
  const adapter = createAriTelephony(config, { clock: deps.clock, inFlightCalls: deps.inFlightCalls });
  await untilHealthy(adapter, 10_000);
  return adapter;
}

/**
 * The adapter connects in the background. Waiting briefly for it means the first call after start
 * does not race the WebSocket; an Asterisk that stays down does not block start-up — /health/ready
 * names it, and calls answer 503 until it is back.
 */
async function untilHealthy(port: TelephonyPort, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await port.health()).ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function withCleanup(port: TelephonyPort, cleanup: () => Promise<void>): TelephonyPort {
  return {
    originate: (request) => port.originate(request),
    hangup: (callId) => port.hangup(callId),
    recordingFile: (name) => port.recordingFile(name),
    outcomes: port.outcomes,
    health: () => port.health(),
    ...(port.gauges ? { gauges: () => port.gauges!() } : {}),
    close: async () => {
      await port.close();
      await cleanup();
    },
  };
}

/**
 * Production telephony with test mode: the operator's Asterisk for live calls, and the ARI
 * simulator in-process for calls placed with a test key (src/adapters/telephony/mode-router.ts).
 */
export function asteriskWithTestMode(config: EngineConfig): TelephonyFactory {
  const live = asteriskTelephony(config);
  const test = sandboxTelephony();
  // Each adapter reconciles only its own calls: the simulator must never declare a real call lost.
  const only = (deps: Parameters<TelephonyFactory>[0], mode: 'live' | 'test'): Parameters<TelephonyFactory>[0] => ({
    ...deps,
    inFlightCalls: async () => (await deps.inFlightCalls()).filter((call) => (call.mode ?? 'live') === mode),
  });
  return async (deps) => testModeRouter(await live(only(deps, 'live')), await test(only(deps, 'test')));
}
