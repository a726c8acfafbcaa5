/**
 * A catch-up subscription to `$all` that outlives dropped connections. ESDB's own subscription
 * ends when its connection does; this one reconnects with back-off from the last position it
 * handed out, and drops anything at or before that position, so consumers see every event once.
 */
import { Observable } from 'rxjs';
import { START, excludeSystemEvents, type EventStoreDBClient } from '@eventstore/db-client';
import {
  START_POSITION,
  comparePositions,
  type GlobalPosition,
  type RecordedEvent,
} from '../../domain/shared/messages.ts';
import type { EsdbSettings } from './esdb-config.ts';
import { isUnreachable, toStoreError } from './esdb-errors.ts';
import { toRecordedEvent } from './esdb-mapping.ts';

export type ResumingSubscriptionOptions = {
  readonly after: GlobalPosition | undefined;
  readonly settings: EsdbSettings;
  /** Redacted URL, for error messages. */
  readonly where: string;
  /** Lets the store end every open subscription when it closes. */
  readonly register: (stop: () => void) => () => void;
};

export function resumingAllSubscription(
  client: EventStoreDBClient,
  { after, settings, where, register }: ResumingSubscriptionOptions,
): Observable<RecordedEvent> {
  return new Observable<RecordedEvent>((subscriber) => {
    let lastDelivered = after && comparePositions(after, START_POSITION) !== 0 ? after : undefined;
    let stopped = false;
    let retryTimer: NodeJS.Timeout | undefined;
    let delay = settings.reconnectInitialDelayMs;
    let dropCurrent: (() => void) | undefined;

    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      clearTimeout(retryTimer);
      dropCurrent?.();
    };

    const scheduleReconnect = (): void => {
      if (stopped) return;
      retryTimer = setTimeout(connect, delay);
      delay = Math.min(delay * 2, settings.reconnectMaxDelayMs);
    };

    function connect(): void {
      if (stopped) return;
      const subscription = client.subscribeToAll({
        fromPosition: lastDelivered ?? START,
        filter: excludeSystemEvents(),
      });
      let finished = false;
      const finish = (): boolean => {
        if (finished) return false;
        finished = true;
        subscription.removeAllListeners('data');
        // Cancelling an already-broken call is harmless; a live one must not keep the socket busy.
        void subscription.unsubscribe().catch(() => undefined);
        return true;
      };
      dropCurrent = () => void finish();

      subscription.on('confirmation', () => {
        delay = settings.reconnectInitialDelayMs;
      });
      subscription.on('data', (resolved) => {
        if (finished || stopped) return;
        let event: RecordedEvent | undefined;
        try {
          event = toRecordedEvent(resolved);
        } catch (error) {
          finish();
          stop();
          subscriber.error(error);
          return;
        }
        if (!event) return;
        if (lastDelivered && comparePositions(event.position, lastDelivered) <= 0) return;
        lastDelivered = event.position;
        subscriber.next(event);
      });
      subscription.on('error', (error: unknown) => {
        if (!finish() || stopped) return;
        if (isUnreachable(error)) {
          scheduleReconnect();
          return;
        }
        stop();
        subscriber.error(toStoreError(error, { operation: 'subscribe', where }));
      });
      // A subscription never ends on its own; an end without an error is a dropped connection too.
      subscription.on('end', () => {
        if (finish()) scheduleReconnect();
      });
    }

    const unregister = register(() => {
      stop();
      subscriber.complete();
    });
    connect();
    return () => {
      stop();
      unregister();
    };
  });
}
