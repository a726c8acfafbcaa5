/**
 * Turns a burst of requests into few runs: at most one runs at a time, and however many requests
 * arrive while it runs, exactly one more run follows it, with the newest position given (so the
 * read model is asked to catch up to the last event seen). A campaign emits several events per
 * call; refetching on each would stampede the engine. A failed run does not stop later ones.
 */
export type Coalescer = (position?: string | null) => void;

export function coalescer(run: (position: string | null) => Promise<unknown>): Coalescer {
  let running = false;
  let queued: { position: string | null } | null = null;

  const drain = async (first: string | null) => {
    running = true;
    let next: { position: string | null } | null = { position: first };
    while (next) {
      queued = null;
      try {
        await run(next.position);
      } catch {
        // The page shows the resource's own error; the next event tries again.
      }
      next = queued;
    }
    running = false;
  };

  return (position = null) => {
    if (running) {
      queued = { position: position ?? queued?.position ?? null };
      return;
    }
    void drain(position);
  };
}
