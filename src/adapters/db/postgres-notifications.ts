import pg from 'pg';
import type { Unlisten } from './database.ts';

const RECONNECT_DELAY_MS = 1_000;

/**
 * LISTEN needs a connection of its own that stays checked out, so it cannot come from the pool.
 * One client serves every channel. When it drops, it reconnects and then calls every handler
 * once, because notifications sent while it was away are lost and listeners must re-read.
 */
export class PostgresNotificationListener {
  private readonly handlers = new Map<string, Set<() => void>>();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly config: pg.ClientConfig) {}

  async listen(channel: string, onNotification: () => void): Promise<Unlisten> {
    let channelHandlers = this.handlers.get(channel);
    const firstForChannel = channelHandlers === undefined;
    if (channelHandlers === undefined) {
      channelHandlers = new Set();
      this.handlers.set(channel, channelHandlers);
    }
    channelHandlers.add(onNotification);
    if (firstForChannel) {
      const client = await this.connected();
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    }
    return async () => {
      channelHandlers.delete(onNotification);
      if (channelHandlers.size > 0 || this.handlers.get(channel) !== channelHandlers) return;
      this.handlers.delete(channel);
      if (this.client !== undefined) await this.client.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.handlers.clear();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private connected(): Promise<pg.Client> {
    if (this.client !== undefined) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler();
    });
    client.on('error', () => this.dropped(client));
    client.on('end', () => this.dropped(client));
    await client.connect();
    if (this.closed) {
      await client.end();
      throw new Error('notification listener closed');
    }
    this.client = client;
    return client;
  }

  private dropped(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (!this.closed && this.handlers.size > 0) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      void this.relisten().catch(() => {
        if (!this.closed) this.scheduleReconnect();
      });
    }, RECONNECT_DELAY_MS);
  }

  private async relisten(): Promise<void> {
    const client = await this.connected();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    for (const channelHandlers of this.handlers.values()) for (const handler of channelHandlers) handler();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
