import type { DomainEvent } from '../domain/shared/messages.ts';

/** The three pure functions an aggregate is made of; the handler, tests and audit all use them. */
export type Decider<State, Cmd, Event extends DomainEvent> = {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Cmd, state: State): Event[];
};

/** Who is acting, when, and on whose behalf: becomes the metadata of every event appended. */
export type CommandContext = {
  readonly now: Date;
  readonly tenantId: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
};
