import { OriginateOutcomeUnknownError, TelephonyUnavailableError, type OriginateResult } from '../port.ts';
import type { AriHttp } from './ari-http.ts';
import type { CallRegistry, TrackedCall } from './call-registry.ts';
import { probeChannel } from './channel-probe.ts';
import type { Timers } from './timers.ts';

export type SettlementDeps = {
  readonly http: (node: string) => AriHttp | undefined;
  readonly registry: CallRegistry;
  readonly timers: Timers;
  /** When to look again if the node cannot be asked now: after the ring timeout plus a grace. */
  readonly recheckAfterMs: number;
  readonly giveUp: (callId: string) => void;
};

/**
 * An originate that timed out may still have created the channel, so it is neither a success nor a
 * failure yet. Ask the node; if it cannot say, keep tracking the call (its events will still arrive)
 * and look again later, ending it only once the channel provably does not exist. Calling it failed
 * straight away would let a person be dialled while the log says nobody was.
 */
export async function settleTimedOutOriginate(call: TrackedCall, cause: unknown, deps: SettlementDeps): Promise<OriginateResult> {
  const exists = await channelExists(call, deps);
  // Events for the channel may have come and gone while the reply was late: a channel that was
  // already destroyed (and reported) existed, even though the node no longer knows it.
  if (exists === true || deps.registry.get(call.callId) !== call) {
    call.confirmed = true;
    return { channelId: call.channelId };
  }
  if (exists === false) {
    deps.registry.remove(call.callId);
    throw new TelephonyUnavailableError(`originate of call ${call.callId} timed out and no channel was created`, { cause });
  }
  deps.timers.after(deps.recheckAfterMs, () => void recheck(call.callId, deps));
  throw new OriginateOutcomeUnknownError(`originate of call ${call.callId} timed out; watching for its channel`, { cause });
}

async function recheck(callId: string, deps: SettlementDeps): Promise<void> {
  const call = deps.registry.get(callId);
  if (!call || call.confirmed || call.answered) return;
  if ((await channelExists(call, deps)) === false) deps.giveUp(callId);
}

function channelExists(call: TrackedCall, deps: SettlementDeps): Promise<boolean | null> {
  const http = call.node ? deps.http(call.node) : undefined;
  return http ? probeChannel(http, call.channelId) : Promise.resolve(null);
}
