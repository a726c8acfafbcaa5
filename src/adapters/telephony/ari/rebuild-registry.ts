import type { CallRegistry } from './call-registry.ts';
import type { AriLogger } from './logger.ts';
import type { MaxDurationWatchdog } from './watchdog.ts';

export type InFlightCall = {
  readonly callId: string;
  readonly tenantId: string;
  readonly answered?: boolean;
  /** The last fact the log holds about the call; the PBX's heartbeat takes over once it is reachable. */
  readonly lastSeenAt?: string | null;
};

/**
 * After a process restart the channel→call map is empty; the event store knows which calls are
 * still live. They are tracked again (node unknown until reconciliation finds them), and answered
 * ones get their watchdog back, so no call can outlive a restart unwatched.
 */
export async function rebuildRegistry(
  inFlightCalls: () => Promise<ReadonlyArray<InFlightCall>>,
  deps: { registry: CallRegistry; watchdog: MaxDurationWatchdog; defaultMaxDurationSeconds: number; logger: AriLogger },
): Promise<void> {
  try {
    for (const call of await inFlightCalls()) {
      if (deps.registry.get(call.callId)) continue;
      const tracked = deps.registry.track({
        callId: call.callId,
        tenantId: call.tenantId,
        node: null,
        media: null,
        record: false,
        maxDurationSeconds: deps.defaultMaxDurationSeconds,
        confirmed: true,
        answered: call.answered ?? false,
        lastSeenAt: call.lastSeenAt ?? null,
      });
      if (tracked.answered) deps.watchdog.arm(tracked.callId, tracked.maxDurationSeconds);
    }
  } catch (error) {
    deps.logger.error('could not load calls in flight; reconciliation starts from an empty map', { error: String(error) });
  }
}
