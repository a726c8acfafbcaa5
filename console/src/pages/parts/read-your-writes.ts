import { useRef } from 'preact/hooks';
import { send, type RequestOptions } from '../../api/client.ts';

/**
 * Read-your-writes for a page: a write's answer names the log position it reached
 * (Calltrail-Position), and the page's next reads present it, so the engine answers them only once
 * its read models have applied the write — the list shows the new row without a retry loop.
 */
export const POSITION_HEADER = 'Calltrail-Position';

export type Positioned = {
  /** Headers for a read: the last write's position, if any. */
  headers(): Record<string, string> | undefined;
  /** Sends a write, remembers its position, and answers its JSON body (undefined for 204). */
  write<T>(path: string, options: RequestOptions): Promise<T>;
  /** Remembers a position seen elsewhere (a live event). */
  remember(position: string | null | undefined): void;
};

export function usePositioned(): Positioned {
  const position = useRef<string | null>(null);
  const remember = (next: string | null | undefined) => {
    if (next) position.current = next;
  };
  return {
    headers: () => (position.current ? { [POSITION_HEADER]: position.current } : undefined),
    remember,
    async write<T>(path: string, options: RequestOptions): Promise<T> {
      const response = await send(path, options);
      remember(response.headers.get(POSITION_HEADER));
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
  };
}
