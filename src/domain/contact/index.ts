import type { ContactCommand } from './commands.ts';
import { decideContactBook } from './decide.ts';
import type { ContactEvent } from './events.ts';
import { evolveContactBook } from './evolve.ts';
import { initialContactBookState, type ContactBookState } from './state.ts';

/** The ContactBook aggregate: one tenant's contacts, their unique numbers, and its contact lists. */
export * from './commands.ts';
export * from './events.ts';
export { initialContactBookState, type ContactBookState } from './state.ts';
export { evolveContactBook } from './evolve.ts';
export { decideContactBook, contactNotFound, contactListNotFound, phoneTaken } from './decide.ts';

export const contactBookDecider: {
  initialState(): ContactBookState;
  evolve(state: ContactBookState, event: ContactEvent): ContactBookState;
  decide(command: ContactCommand, state: ContactBookState): ContactEvent[];
} = { initialState: initialContactBookState, evolve: evolveContactBook, decide: decideContactBook };
