/** The scheduled call: a single call waiting for its calling hours to open. */
export * from './events.ts';
export * from './decide.ts';
