import {
  WrongExpectedRevisionError,
  type EventStore,
  type ExpectedRevision,
} from '../adapters/eventstore/port.ts';
import type { DomainEvent, EventToAppend, GlobalPosition, RecordedEvent } from '../domain/shared/messages.ts';
import type { CommandContext, Decider } from './decider.ts';

export type EventCodec<Event extends DomainEvent> = {
  /** Recorded (possibly old-version) event → current domain event, or null for types the aggregate ignores. */
  decode(recorded: RecordedEvent): Event | null;
  /** Validates a freshly decided event against its schema and names its schema version. */
  encode(event: Event): { event: Event; schemaVersion: number };
};

export type CommandResult<State, Event extends DomainEvent> = {
  /** Only the events this command appended; empty when the command was an idempotent no-op. */
  readonly appended: ReadonlyArray<EventToAppend<Event>>;
  readonly state: State;
  /** Every event of the stream before this command, for callers that need the history. */
  readonly history: readonly RecordedEvent[];
  readonly position: GlobalPosition | null;
};

export type HandlerOptions = {
  readonly newEventId?: () => string;
  /** Conflicts are retried by re-reading and re-deciding; any other error fails at once. */
  readonly maxAttempts?: number;
};

/**
 * read → decide → append with the expected revision. Retries only on a revision conflict, so two
 * writers racing on one stream both see each other's events before deciding.
 */
export class CommandHandler<State, Cmd, Event extends DomainEvent> {
  private readonly newEventId: () => string;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: EventStore,
    private readonly decider: Decider<State, Cmd, Event>,
    private readonly codec: EventCodec<Event>,
    options: HandlerOptions = {},
  ) {
    this.newEventId = options.newEventId ?? (() => crypto.randomUUID());
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  /**
   * `context` may be derived from the stream's history, for facts (like a PBX's report) whose
   * tenant and correlation live on the events already stored.
   *
   * `known`: the stream's whole history as the caller has just seen it written, decided on without
   * reading it first. Only an append is trusted from it, since the expected revision refuses one
   * made on a stream that has moved on: a refusal or a no-op decided on it may be the stale
   * history's, so those are decided again on the stream as read.
   */
  async handle(
    stream: string,
    command: Cmd,
    context: CommandContext | ((history: readonly RecordedEvent[]) => CommandContext),
    // `expectNew`: the caller just minted the stream's id, so the first attempt skips the read and
    // decides on the empty history; 'no_stream' refuses it if the stream exists after all, and the
    // retry reads it as usual. `known`: see above.
    options: { expectNew?: boolean; known?: readonly RecordedEvent[] | undefined } = {},
  ): Promise<CommandResult<State, Event>> {
    for (let attempt = 1; ; attempt++) {
      const fromKnown = attempt === 1 && options.known !== undefined;
      const history = fromKnown ? options.known! : options.expectNew === true && attempt === 1 ? [] : await this.store.readStream(stream);
      const state = this.fold(history);
      let decided: Event[];
      try {
        decided = this.decider.decide(command, state);
      } catch (error) {
        if (fromKnown) continue;
        throw error;
      }
      if (decided.length === 0) {
        if (fromKnown) continue;
        return { appended: [], state, history, position: null };
      }

      const resolved = typeof context === 'function' ? context(history) : context;
      const appended = decided.map((event) => this.withMetadata(event, resolved));
      const expected: ExpectedRevision = history.length === 0 ? 'no_stream' : history.at(-1)!.streamRevision;
      try {
        const result = await this.store.append(stream, appended, expected);
        const next = decided.reduce((s, event) => this.decider.evolve(s, event), state);
        return { appended, state: next, history, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= this.maxAttempts) throw error;
      }
    }
  }

  /** Current state of a stream without deciding anything. */
  async load(stream: string): Promise<{ state: State; history: readonly RecordedEvent[] }> {
    const history = await this.store.readStream(stream);
    return { state: this.fold(history), history };
  }

  private fold(history: readonly RecordedEvent[]): State {
    let state = this.decider.initialState();
    for (const recorded of history) {
      const event = this.codec.decode(recorded);
      if (event) state = this.decider.evolve(state, event);
    }
    return state;
  }

  private withMetadata(event: Event, context: CommandContext): EventToAppend<Event> {
    return stampEvent(this.codec, event, context, this.newEventId());
  }
}

/**
 * The events a command just appended, as the log will deliver them: revisions follow the history
 * they were decided on. Only the last one's position is known (the append's); the ones before it
 * carry it too, so this is for handing events on in-process, not for positioning a checkpoint.
 */
export function recordedFrom<State, Event extends DomainEvent>(stream: string, result: CommandResult<State, Event>): RecordedEvent[] {
  if (result.position === null) return [];
  const position = result.position;
  return result.appended.map((event, index) => ({ ...event, streamName: stream, streamRevision: BigInt(result.history.length + index), position }));
}

/** A decided event, validated by its codec and stamped with who, when, why and its schema version. */
export function stampEvent<Event extends DomainEvent>(
  codec: EventCodec<Event>,
  event: Event,
  context: CommandContext,
  eventId: string,
): EventToAppend<Event> {
  const { event: valid, schemaVersion } = codec.encode(event);
  return {
    ...valid,
    metadata: {
      eventId,
      correlationId: context.correlationId,
      causationId: context.causationId,
      tenantId: context.tenantId,
      actor: context.actor,
      occurredAt: context.now.toISOString(),
      schemaVersion,
    },
  };
}
