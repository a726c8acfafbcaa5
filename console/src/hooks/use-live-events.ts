import { useEffect, useRef } from 'preact/hooks';
import { liveEvents, type LiveEvent } from '../api/events.ts';

/** Calls `onEvent` for each of the tenant's live events that `accept` lets through, while mounted. */
export function useLiveEvents(onEvent: (event: LiveEvent) => void, accept: (event: LiveEvent) => boolean = () => true): void {
  const handler = useRef(onEvent);
  const filter = useRef(accept);
  handler.current = onEvent;
  filter.current = accept;
  useEffect(
    () =>
      liveEvents.subscribe((event) => {
        if (filter.current(event)) handler.current(event);
      }),
    [],
  );
}
