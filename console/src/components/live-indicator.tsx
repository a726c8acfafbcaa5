import { useLiveConnection } from '../hooks/use-live-refresh.ts';

/** "Live" when the event stream is connected (the page updates itself), "Reconnecting…" when not. */
export function LiveIndicator() {
  const connected = useLiveConnection();
  return (
    <span class="live-indicator" role="status" data-testid="live-indicator" data-connected={connected ? 'true' : 'false'}>
      <span class={`live-dot${connected ? ' on' : ''}`} aria-hidden="true" />
      {connected ? 'Live' : 'Not live — reconnecting…'}
    </span>
  );
}
