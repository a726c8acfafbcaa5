import type { TrackedCall } from './call-registry.ts';

/** What a node reported alive, or null when it could not be asked. */
export type LiveChannels = ReadonlyMap<string, ReadonlyMap<string, { readonly state: string }> | null>;

export type ReconcileVerdict =
  | { readonly kind: 'lost'; readonly call: TrackedCall }
  | { readonly kind: 'found'; readonly call: TrackedCall; readonly node: string; readonly state: string };

/**
 * Compares the calls we believe are in flight with the channels the nodes report. A call is
 * lost only when we can be sure: its own node answered without it, or, for calls whose node we
 * do not know, every node answered without it. Unconfirmed originates are not judged, since
 * their channel may simply not exist yet.
 */
export function reconcile(calls: readonly TrackedCall[], live: LiveChannels): ReconcileVerdict[] {
  const verdicts: ReconcileVerdict[] = [];
  const everyNodeAnswered = [...live.values()].every((channels) => channels !== null);
  for (const call of calls) {
    if (!call.confirmed) continue;
    const nodesToCheck = call.node === null ? [...live.keys()] : [call.node];
    let found: { node: string; state: string } | null = null;
    let unknown = false;
    for (const node of nodesToCheck) {
      const channels = live.get(node);
      if (!channels) {
        unknown = true;
        continue;
      }
      const channel = channels.get(call.channelId);
      if (channel) {
        found = { node, state: channel.state };
        break;
      }
    }
    if (found) verdicts.push({ kind: 'found', call, ...found });
    else if (!unknown && (call.node !== null || everyNodeAnswered)) verdicts.push({ kind: 'lost', call });
  }
  return verdicts;
}
