/** Billing audit: one call's story and its recomputed charge, an account's period, the balance at an instant. */
export * from './call-audit.ts';
export * from './account-audit.ts';
export * from './balance-at.ts';
