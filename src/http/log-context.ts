import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Ids every log line written while handling one request carries (request, correlation, and the
 * call once it is known), without threading them through each call site.
 */
export type LogContext = { requestId?: string; correlationId?: string; callId?: string };

const storage = new AsyncLocalStorage<LogContext>();

export function runWithLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run({ ...context }, work);
}

/** Adds to the current request's context (e.g. the id of the call it just placed). */
export function addToLogContext(fields: LogContext): void {
  const current = storage.getStore();
  if (current) Object.assign(current, fields);
}

export function currentLogContext(): LogContext | undefined {
  return storage.getStore();
}
