import { authorizationHeader, urlOf } from './client.ts';

/**
 * The tenant's live events from GET /api/v1/events/stream (Server-Sent Events). EventSource
 * cannot send an Authorization header, so this reads the stream with fetch and parses the
 * frames itself. It reconnects after a drop, resuming from the last position it saw.
 */
export type LiveEvent = {
  position: string;
  type: string;
  at: string;
  subject: { kind: string; id: string };
  campaign_id?: string;
  status?: string;
};

type Listener = (event: LiveEvent) => void;

const RECONNECT_MS = 2_000;

class LiveEvents {
  private readonly listeners = new Set<Listener>();
  private controller: AbortController | null = null;
  private lastPosition: string | null = null;
  private connected = false;
  private readonly stateListeners = new Set<(connected: boolean) => void>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.controller) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  onConnection(listener: (connected: boolean) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.connected);
    return () => this.stateListeners.delete(listener);
  }

  /** On sign-out: the next subscriber connects with the new credentials and from the head. */
  reset(): void {
    this.stop();
    this.lastPosition = null;
    if (this.listeners.size > 0) this.start();
  }

  private setConnected(connected: boolean): void {
    this.connected = connected;
    for (const listener of this.stateListeners) listener(connected);
  }

  private stop(): void {
    this.controller?.abort();
    this.controller = null;
    this.setConnected(false);
  }

  private start(): void {
    const controller = new AbortController();
    this.controller = controller;
    void this.run(controller.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', ...(await authorizationHeader()) };
        if (this.lastPosition) headers['Last-Event-ID'] = this.lastPosition;
        const response = await fetch(urlOf('/events/stream'), { headers, signal });
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        this.setConnected(true);
        await this.read(response.body, signal);
      } catch {
        // Dropped, refused or aborted: wait and try again unless we were told to stop.
      }
      this.setConnected(false);
      if (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
    let buffer = '';
    while (!signal.aborted) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let boundary = buffer.indexOf('\n\n');
      while (boundary >= 0) {
        this.dispatch(buffer.slice(0, boundary));
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf('\n\n');
      }
    }
  }

  private dispatch(frame: string): void {
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('data:')) data += line.slice(5).trimStart();
      else if (line.startsWith('id:')) this.lastPosition = line.slice(3).trim();
    }
    if (!data) return;
    try {
      const event = JSON.parse(data) as LiveEvent;
      for (const listener of this.listeners) listener(event);
    } catch {
      // A frame we do not understand is skipped, not fatal.
    }
  }
}

export const liveEvents = new LiveEvents();
