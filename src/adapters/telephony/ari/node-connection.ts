import { connectAriClient, tolerateUnknownEventTypes, type AriClient } from './ari-client-loader.ts';
import { preflightApiDocs } from './api-docs-preflight.ts';
import { ariBaseUrl, type AriHttp } from './ari-http.ts';
import type { AriConfig, AriNodeConfig } from './config.ts';
import type { AriLogger } from './logger.ts';
import type { TimerHandle, Timers } from './timers.ts';

export type NodeStatus = 'connecting' | 'connected' | 'disconnected' | 'closed';

/** A raw ARI event as Asterisk sends it over the WebSocket. */
export type AriEvent = { readonly type: string; readonly timestamp?: string; readonly [key: string]: unknown };

type Listeners = {
  onEvent(node: string, event: AriEvent): void;
  /** First connect and every reconnect: the moment to reconcile. */
  onConnected(node: string): void;
};

/**
 * Keeps one Stasis WebSocket open to one Asterisk node. ari-client retries short drops by itself
 * (about ten tries over ~40 s); when it gives up, or the first connect fails, we start over with
 * our own back-off, forever, until closed.
 */
export class AriNodeConnection {
  private currentStatus: NodeStatus = 'connecting';
  private client: AriClient | null = null;
  private retryTimer: TimerHandle | null = null;
  private nextDelayMs: number;
  private lastError: string | null = null;

  constructor(
    readonly node: AriNodeConfig,
    readonly http: AriHttp,
    private readonly settings: Pick<AriConfig, 'reconnect' | 'requestTimeoutMs'>,
    private readonly timers: Timers,
    private readonly logger: AriLogger,
    private readonly listeners: Listeners,
  ) {
    this.nextDelayMs = settings.reconnect.initialDelayMs;
  }

  get status(): NodeStatus {
    return this.currentStatus;
  }

  get detail(): string {
    return this.lastError === null ? this.currentStatus : `${this.currentStatus}: ${this.lastError}`;
  }

  start(): void {
    void this.attempt();
  }

  async close(): Promise<void> {
    this.currentStatus = 'closed';
    this.retryTimer?.cancel();
    this.retryTimer = null;
    this.stopClient();
  }

  private async attempt(): Promise<void> {
    if (this.currentStatus === 'closed') return;
    try {
      await preflightApiDocs(this.http);
      const client = await connectAriClient(
        ariBaseUrl(this.node.url),
        this.node.username,
        this.node.password,
        this.settings.requestTimeoutMs * 3,
      );
      if (this.isClosed()) return;
      this.watch(client);
      await client.start(this.node.app);
    } catch (error) {
      this.client = null;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.logger.warn('ARI connect failed', { node: this.node.name, error: this.lastError });
      this.becomeDisconnected();
      this.scheduleRetry();
    }
  }

  /** A method, not a field read, because the status changes across the awaits around it. */
  private isClosed(): boolean {
    return this.currentStatus === 'closed';
  }

  private watch(client: AriClient): void {
    this.client = client;
    tolerateUnknownEventTypes(client);
    client.on('*', (event: AriEvent) => {
      if (this.client === client) this.listeners.onEvent(this.node.name, event);
    });
    client.on('WebSocketConnected', () => {
      // ari-client may finish a reconnect it scheduled before we stopped it.
      if (this.client !== client) return stopQuietly(client);
      this.currentStatus = 'connected';
      this.lastError = null;
      this.nextDelayMs = this.settings.reconnect.initialDelayMs;
      this.logger.info('ARI connected', { node: this.node.name });
      this.listeners.onConnected(this.node.name);
    });
    client.on('WebSocketReconnecting', (error: unknown) => {
      if (this.client !== client) return;
      if (error instanceof Error) this.lastError = error.message;
      this.becomeDisconnected();
    });
    client.on('WebSocketMaxRetries', () => {
      if (this.client !== client) return;
      this.stopClient();
      this.becomeDisconnected();
      this.scheduleRetry();
    });
  }

  private becomeDisconnected(): void {
    if (this.currentStatus === 'closed') return;
    if (this.currentStatus === 'connected') this.logger.warn('ARI disconnected', { node: this.node.name });
    this.currentStatus = 'disconnected';
  }

  private scheduleRetry(): void {
    if (this.currentStatus === 'closed' || this.retryTimer) return;
    const delay = this.nextDelayMs;
    this.nextDelayMs = Math.min(this.settings.reconnect.maxDelayMs, Math.ceil(delay * this.settings.reconnect.factor));
    this.retryTimer = this.timers.after(delay, () => {
      this.retryTimer = null;
      void this.attempt();
    });
  }

  private stopClient(): void {
    const client = this.client;
    this.client = null;
    if (client) stopQuietly(client);
  }
}

function stopQuietly(client: AriClient): void {
  try {
    client.stop();
  } catch {
    // stop() before the WebSocket exists throws; there is nothing to close then.
  }
}
