import { CURRENT_SCHEMA_VERSION } from '../../domain/call/events.ts';
import { UpcasterRegistry } from '../../domain/shared/upcasting.ts';

/** Steps that lift stored call events to the current schema: register(type, fromVersion, step). */
export const callUpcasters = new UpcasterRegistry(CURRENT_SCHEMA_VERSION)
  // v2 added `mode`; every call written before test-mode keys existed was a live call.
  .register('CallRequested', 1, (data) => ({ ...data, mode: 'live' }))
  // v3 added `optOutDigit`; no call before it offered an opt-out key.
  .register('CallRequested', 2, (data) => ({ ...data, optOutDigit: null }))
  // v4 added `statusCallback`; no call before it had a status callback URL.
  .register('CallRequested', 3, (data) => ({ ...data, statusCallback: null }));
