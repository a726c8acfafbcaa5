import { useCallback, useRef } from 'preact/hooks';

/**
 * Turns a burst of live events into few refetches: at most one runs at a time, and however many
 * events arrive while it runs, exactly one more follows it (with the newest position, so the read
 * model is asked to catch up to the last event seen). A campaign emits several events per call;
 * refetching on each would stampede the engine.
 */
export function useCoalescedRefetch(refetch: (position: string | null) => Promise<unknown>): (position?: string | null) => void {
  const running = useRef(false);
  const queued = useRef<{ position: string | null } | null>(null);
  const latest = useRef(refetch);
  latest.current = refetch;

  const drain = useCallback(async (position: string | null) => {
    running.current = true;
    let next: { position: string | null } | null = { position };
    while (next) {
      queued.current = null;
      try {
        await latest.current(next.position);
      } catch {
        // The page shows the resource's own error; a failed refresh must not stop later ones.
      }
      next = queued.current;
    }
    running.current = false;
  }, []);

  return useCallback(
    (position: string | null = null) => {
      if (running.current) {
        queued.current = { position: position ?? queued.current?.position ?? null };
        return;
      }
      void drain(position);
    },
    [drain],
  );
}
