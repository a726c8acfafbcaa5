/** Webhook endpoints (an aggregate per endpoint) and the mapping of log facts to webhook events. */
export * from './event-types.ts';
export * from './events.ts';
export * from './endpoint.ts';
export * from './source-events.ts';
