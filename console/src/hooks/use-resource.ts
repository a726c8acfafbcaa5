import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * Loads something from the API and keeps its state: loading, the value, or the error the API
 * gave. `reload()` fetches again without blanking what is on screen (live updates use it), and
 * an answer that arrives after a newer request started is dropped.
 */
export type Resource<T> = { value: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void> };

export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Resource<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);

  const reload = useCallback(async () => {
    generation.current += 1;
    const mine = generation.current;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setLoading(true);
    try {
      const next = await load(abort.signal);
      if (mine !== generation.current) return;
      setValue(next);
      setError(null);
    } catch (failure) {
      if (mine !== generation.current || (failure as Error).name === 'AbortError') return;
      setError(failure);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    void reload();
    return () => controller.current?.abort();
  }, [reload]);

  return { value, error, loading, reload };
}
