/** Billing: the account wallet, rate plans and the one rating function. */
export * from './rating.ts';
export * from './rate-plan.ts';
export * from './wallet-events.ts';
export * from './wallet.ts';
