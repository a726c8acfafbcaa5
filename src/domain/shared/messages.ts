/**
 * The message shapes every aggregate, store and reactor agrees on.
 * Events are plain `{ type, data }` records; the store adds where and when they were written.
 */

export type DomainEvent<Type extends string = string, Data = Record<string, unknown>> = {
  readonly type: Type;
  readonly data: Data;
};

export type Command<Type extends string = string, Data = Record<string, unknown>> = {
  readonly type: Type;
  readonly data: Data;
};

/** Who did it and why: carried by every stored event so any charge can be traced to its cause. */
export type EventMetadata = {
  /** A uuid. Appending the same eventId twice to a stream writes it once. */
  readonly eventId: string;
  /** Shared by every event that stems from one original request. */
  readonly correlationId: string;
  /** The eventId (or request id) that directly caused this event. */
  readonly causationId: string;
  readonly tenantId: string;
  /** `user:<id>`, `apikey:<id>`, `system:<component>` */
  readonly actor: string;
  /** ISO-8601 instant, taken from the injected clock by the command handler. */
  readonly occurredAt: string;
  /** Version of the event's data schema; upcasters lift old versions on read. */
  readonly schemaVersion: number;
};

/** An event on its way into the store. */
export type EventToAppend<E extends DomainEvent = DomainEvent> = E & {
  readonly metadata: EventMetadata;
};

/**
 * A position in the store's global order. Both backends use a pair ordered lexicographically:
 * EventStoreDB's commit/prepare log positions, and for Postgres (transaction id, sequence).
 */
export type GlobalPosition = { readonly commit: bigint; readonly prepare: bigint };

export const START_POSITION: GlobalPosition = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** An event as read back from the store. */
export type RecordedEvent<E extends DomainEvent = DomainEvent> = E & {
  readonly metadata: EventMetadata;
  readonly streamName: string;
  /** 0-based index of the event within its stream. */
  readonly streamRevision: bigint;
  readonly position: GlobalPosition;
};
