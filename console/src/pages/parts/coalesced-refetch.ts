import { useRef } from 'preact/hooks';
import { coalescer, type Coalescer } from './coalescer.ts';

/** A page's coalesced refetch (see coalescer.ts), calling the latest `refetch` the page rendered. */
export function useCoalescedRefetch(refetch: (position: string | null) => Promise<unknown>): Coalescer {
  const latest = useRef(refetch);
  latest.current = refetch;
  const coalesced = useRef<Coalescer | null>(null);
  coalesced.current ??= coalescer((position) => latest.current(position));
  return coalesced.current;
}
