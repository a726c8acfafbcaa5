/**
 * Reads GET /api/v1/events/stream the way the console does: fetch with an Authorization header
 * and a stream reader (EventSource cannot send headers). Parses the SSE frames as they arrive, and
 * lets a test wait for a frame matching a predicate — an event, not a sleep.
 */

export type SseFrame = { id?: string; event?: string; data?: string; comment?: string; retry?: string };

export type SseClient = {
  readonly status: number;
  readonly headers: Headers;
  readonly frames: SseFrame[];
  /** Resolves with the first frame (already seen or still to come) that matches; rejects if the stream ends first. */
  next(match: (frame: SseFrame) => boolean, timeoutMs?: number): Promise<SseFrame>;
  /** Resolves once the server has ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
};

export async function openEventStream(baseUrl: string, token: string, headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events/stream${query}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream', ...headers },
    signal: abort.signal,
  });
  const frames: SseFrame[] = [];
  const waiters = new Set<{ match: (frame: SseFrame) => boolean; resolve: (frame: SseFrame) => void; reject: (error: Error) => void }>();
  let finished = false;
  const finish = () => {
    finished = true;
    for (const waiter of waiters) waiter.reject(new Error(`the stream ended; frames seen: ${JSON.stringify(frames)}`));
    waiters.clear();
  };
  const ended = (async () => {
    if (!response.body) return finish();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const frame = parseFrame(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          frames.push(frame);
          for (const waiter of waiters) {
            if (waiter.match(frame)) {
              waiters.delete(waiter);
              waiter.resolve(frame);
            }
          }
        }
      }
    } catch {
      // Aborted by close().
    }
    finish();
  })();
  return {
    status: response.status,
    headers: response.headers,
    frames,
    ended,
    next(match, timeoutMs = 20_000) {
      const seen = frames.find(match);
      if (seen) return Promise.resolve(seen);
      if (finished) return Promise.reject(new Error(`the stream had ended; frames seen: ${JSON.stringify(frames)}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching frame within ${timeoutMs} ms; frames seen: ${JSON.stringify(frames)}`));
        }, timeoutMs);
        const waiter = {
          match,
          resolve: (frame: SseFrame) => (clearTimeout(timer), resolve(frame)),
          reject: (error: Error) => (clearTimeout(timer), reject(error)),
        };
        waiters.add(waiter);
      });
    },
    close: () => abort.abort(),
  };
}

function parseFrame(text: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon) as keyof SseFrame;
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id' || field === 'event' || field === 'data' || field === 'retry') frame[field] = frame[field] === undefined ? value : `${frame[field]}\n${value}`;
  }
  return frame;
}

/** The summary in an event frame. */
export const summaryOf = (frame: SseFrame): any => (frame.data ? JSON.parse(frame.data) : null);
