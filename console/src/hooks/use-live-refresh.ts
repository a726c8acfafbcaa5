import { useEffect, useRef, useState } from 'preact/hooks';
import { liveEvents, type LiveEvent } from '../api/events.ts';
import { useLiveEvents } from './use-live-events.ts';

/**
 * Refreshes what a page shows when live events it cares about arrive, coalescing bursts: at most
 * one refresh is in flight, and events that land meanwhile cause one more refresh (with the
 * newest of them), not one each. A call's dozen events in a second cost two fetches, not twelve.
 */
export function useLiveRefresh(refresh: (latest: LiveEvent) => Promise<unknown>, accept: (event: LiveEvent) => boolean): void {
  const latest = useRef(refresh);
  latest.current = refresh;
  const state = useRef<{ running: boolean; pending: LiveEvent | null }>({ running: false, pending: null });

  useLiveEvents((event) => {
    state.current.pending = event;
    if (state.current.running) return;
    state.current.running = true;
    void (async () => {
      try {
        while (state.current.pending) {
          const next = state.current.pending;
          state.current.pending = null;
          try {
            await latest.current(next);
          } catch {
            // The page shows its own load errors; a failed refresh must not stop the next one.
          }
        }
      } finally {
        state.current.running = false;
      }
    })();
  }, accept);
}

/** Whether the live event stream is connected right now, for a page's "live" indicator. */
export function useLiveConnection(): boolean {
  const [connected, setConnected] = useState(false);
  useEffect(() => liveEvents.onConnection(setConnected), []);
  return connected;
}

/** The read model has caught up to this position before it answers (read-your-writes). */
export const positionHeader = (position: string | null): Record<string, string> | undefined => (position ? { 'Calltrail-Position': position } : undefined);
