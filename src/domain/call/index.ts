import { decide } from './decide.ts';
import { evolve } from './evolve.ts';
import { initialState, type CallState } from './state.ts';
import type { CallCommand } from './commands.ts';
import type { CallEvent } from './events.ts';

/** The Call aggregate: a decider (initialState, evolve, decide) plus what its neighbours need. */
export * from './commands.ts';
export * from './events.ts';
export { initialState, isLive, type CallState, type CallRequest, type CallEnding } from './state.ts';
export type { InitialCall, RequestedCall, DialingCall, RingingCall, AnsweredCall, EndedCall, LiveCall } from './state.ts';
export { evolve, evolveAll } from './evolve.ts';
export { decide } from './decide.ts';
export { classifyHangup, q850Text, Q850_TEXT, type HangupClassification } from './q850.ts';
export { isRetryableOutcome } from './outcomes.ts';
export { CALL_STATUSES, statusOf, statusAfter, isTerminalStatus, type CallStatus } from './status.ts';

/** The three functions as one value, for the command handler and replay tooling. */
export const callDecider: {
  initialState(): CallState;
  evolve(state: CallState, event: CallEvent): CallState;
  decide(command: CallCommand, state: CallState): CallEvent[];
} = { initialState, evolve, decide };
