import type { GlobalPosition, RecordedEvent } from '../domain/shared/messages.ts';

/** Where one client's tenant-filtered events go (src/http/routes/events.ts writes them as SSE). */
export type TenantEventSink = {
  event(event: RecordedEvent): void;
  /** The feed ended (engine stopping, store subscription failed): the client should reconnect. */
  end(): void;
  /** A resume was too far behind to replay in full; what follows is live. */
  truncated?(): void;
};

/** GET /api/v1/events/stream (src/http/routes/events.ts). */
export interface EventsDependencies {
  /**
   * Follows the tenant's events: those after `after` first (a resume), then live ones; with no
   * `after`, only what is appended from now. Returns the way to stop (the client left).
   */
  follow(tenantId: string, after: GlobalPosition | null, sink: TenantEventSink): () => void;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
  /**
   * A stream is ended after this long, so a credential revoked or expired since it connected
   * stops receiving; the client reconnects with its Last-Event-ID and is authenticated again.
   */
  readonly maxConnectionMs: number;
}
