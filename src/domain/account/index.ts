import type { AccountCommand } from './commands.ts';
import { decideAccount } from './decide.ts';
import type { AccountEvent } from './events.ts';
import { evolveAccount } from './evolve.ts';
import { initialAccountState, type AccountState } from './state.ts';

/** The Account aggregate: settings an account is opened with, and its API keys. */
export * from './commands.ts';
export * from './events.ts';
export { initialAccountState, DEFAULT_PLAN, type AccountState, type AccountProfile, type ApiKey, type User, type Plan } from './state.ts';
export { evolveAccount } from './evolve.ts';
export { decideAccount } from './decide.ts';

/** The three functions as one value, for the command handler and replay tooling. */
export const accountDecider: {
  initialState(): AccountState;
  evolve(state: AccountState, event: AccountEvent): AccountState;
  decide(command: AccountCommand, state: AccountState): AccountEvent[];
} = { initialState: initialAccountState, evolve: evolveAccount, decide: decideAccount };
