import type { z } from 'zod';
import type { DomainEvent, RecordedEvent } from '../domain/shared/messages.ts';
import { UpcasterRegistry } from '../domain/shared/upcasting.ts';
import type { EventCodec } from './command-handler.ts';

/**
 * An aggregate's codec from its zod schemas: stored events are upcast to the current version on
 * the way in; new events are validated against their schema on the way out, so an event that
 * breaks its own contract is never written.
 */
export function zodCodec<Event extends DomainEvent>(
  schemas: Readonly<Record<string, z.ZodType>>,
  currentVersions: Readonly<Record<string, number>>,
  upcasters: UpcasterRegistry = new UpcasterRegistry(currentVersions),
): EventCodec<Event> {
  return {
    decode(recorded: RecordedEvent): Event | null {
      if (!Object.hasOwn(schemas, recorded.type)) return null;
      const { data } = upcasters.upcast(recorded.type, recorded.metadata.schemaVersion ?? 1, recorded.data as Record<string, unknown>);
      return { type: recorded.type, data } as unknown as Event;
    },
    encode(event: Event) {
      const data = schemas[event.type]!.parse(event.data);
      return { event: { type: event.type, data } as unknown as Event, schemaVersion: currentVersions[event.type] ?? 1 };
    },
  };
}
