import { TelephonyUnavailableError, type TelephonyPort } from '../../adapters/telephony/port.ts';
import type { PlacementStep } from './placement.ts';

/**
 * Refuses a call up front when no PBX node can take it, so the client gets 503 and can retry,
 * instead of a call that is accepted and then fails for a reason that was already known.
 */
export function telephonyAvailable(telephony: TelephonyPort): PlacementStep {
  return {
    checkOnly: true,
    async beforePlace() {
      const health = await telephony.health();
      if (health.ok || health.nodes.some((node) => node.ok)) return;
      const down = health.nodes.map((node) => node.name);
      throw new TelephonyUnavailableError(`No Asterisk node can take calls right now (down: ${down.join(', ') || 'all'}).`);
    },
  };
}
