import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { send } from '../api/client.ts';

/**
 * An API file (a recording, an audio file) as a blob: URL an `<audio>` can play: `<audio src>`
 * cannot send the bearer token, so the file is fetched with it. The URL is revoked when replaced
 * and when the component unmounts, so nothing stays pinned in memory.
 */
export type ObjectUrl = { url: string | null; error: unknown; loading: boolean; load: (path: string) => Promise<void> };

export function useObjectUrl(): ObjectUrl {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const current = useRef<string | null>(null);
  const alive = useRef(true);

  useEffect(
    () => () => {
      alive.current = false;
      if (current.current) URL.revokeObjectURL(current.current);
    },
    [],
  );

  const load = useCallback(async (path: string) => {
    setLoading(true);
    setError(null);
    try {
      const blob = await (await send(path, { headers: { Accept: 'audio/*' } })).blob();
      if (!alive.current) return;
      if (current.current) URL.revokeObjectURL(current.current);
      current.current = URL.createObjectURL(blob);
      setUrl(current.current);
    } catch (failure) {
      if (alive.current) setError(failure);
    } finally {
      if (alive.current) setLoading(false);
    }
  }, []);

  return { url, error, loading, load };
}
