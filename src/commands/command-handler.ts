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
   */
  async handle(
    stream: string,
    command: Cmd,
    context: CommandContext | ((history: readonly RecordedEvent[]) => CommandContext),
    options: { expectNew?: boolean } = {},
  ): Promise<CommandResult<State, Event>> {
    for (let attempt = 1; ; attempt++) {
      // `expectNew`: the caller just minted the stream's id, so the first attempt skips the read and
      // decides on the empty history; 'no_stream' refuses it if the stream exists after all, and the
      // retry reads it as usual.
      const history = options.expectNew === true && attempt === 1 ? [] : await this.store.readStream(stream);
      const state = this.fold(history);
      const decided = this.decider.decide(command, state);
      if (decided.length === 0) return { appended: [], state, history, position: null };

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
