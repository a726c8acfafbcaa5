import type { WebSocket } from 'ws';

type Subscriber = { readonly socket: WebSocket; readonly apps: ReadonlySet<string> };
type Queued = { readonly dueAt: number; readonly app: string; readonly json: string };

/**
 * The events WebSockets and what flows to them. Delivery can be slowed (`setDelay`) without
 * reordering: every event waits for the one before it. Events with no subscriber at delivery time
 * are dropped, as Asterisk drops them.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly queue: Queued[] = [];
  private pump: NodeJS.Timeout | null = null;
  private delayMs = 0;

  add(socket: WebSocket, apps: ReadonlySet<string>): void {
    const subscriber = { socket, apps };
    this.subscribers.add(subscriber);
    socket.on('close', () => this.subscribers.delete(subscriber));
  }

  /** App names with at least one socket open. */
  applications(): string[] {
    const names = new Set<string>();
    for (const subscriber of this.subscribers) for (const app of subscriber.apps) names.add(app);
    return [...names].sort();
  }

  setDelay(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`event delay must be >= 0, got ${ms}`);
    this.delayMs = ms;
  }

  publish(app: string, event: object): void {
    const json = JSON.stringify(event);
    if (this.delayMs === 0 && this.queue.length === 0) {
      this.deliver(app, json);
      return;
    }
    const previousDue = this.queue.at(-1)?.dueAt ?? 0;
    this.queue.push({ dueAt: Math.max(Date.now() + this.delayMs, previousDue), app, json });
    this.schedulePump();
  }

  /** Closes every socket without a close handshake, the way a crashed server or a cut cable would. */
  dropAll(): void {
    for (const { socket } of this.subscribers) socket.terminate();
    this.subscribers.clear();
  }

  /** Forget events still waiting for delivery (used when the server "restarts"). */
  discardPending(): void {
    this.queue.length = 0;
    if (this.pump !== null) clearTimeout(this.pump);
    this.pump = null;
  }

  private schedulePump(): void {
    const next = this.queue[0];
    if (this.pump !== null || next === undefined) return;
    this.pump = setTimeout(() => {
      this.pump = null;
      this.drainDue();
    }, Math.max(0, next.dueAt - Date.now()));
  }

  private drainDue(): void {
    const now = Date.now();
    while (this.queue.length > 0 && (this.queue[0]?.dueAt ?? Infinity) <= now) {
      const item = this.queue.shift();
      if (item !== undefined) this.deliver(item.app, item.json);
    }
    this.schedulePump();
  }

  private deliver(app: string, json: string): void {
    for (const { socket, apps } of this.subscribers) {
      if (apps.has(app) && socket.readyState === socket.OPEN) socket.send(json);
    }
  }
}
