import type { DncCommand } from './commands.ts';
import { decideDncList } from './decide.ts';
import type { DncEvent } from './events.ts';
import { evolveDncList } from './evolve.ts';
import { initialDncListState, type DncListState } from './state.ts';

/** The DncList aggregate: the numbers one tenant, or the operator for everyone, must not call. */
export * from './commands.ts';
export * from './events.ts';
export { initialDncListState, type DncListState } from './state.ts';
export { evolveDncList } from './evolve.ts';
export { decideDncList, dncEntryNotFound } from './decide.ts';

export const dncListDecider: {
  initialState(): DncListState;
  evolve(state: DncListState, event: DncEvent): DncListState;
  decide(command: DncCommand, state: DncListState): DncEvent[];
} = { initialState: initialDncListState, evolve: evolveDncList, decide: decideDncList };
