import { CURRENT_SCHEMA_VERSION } from '../../domain/call/events.ts';
import { UpcasterRegistry } from '../../domain/shared/upcasting.ts';

/**
 * Where steps go when a call event's schema changes: register(type, fromVersion, step).
 * Every call event is still at v1, so there are no steps yet.
 */
export const callUpcasters = new UpcasterRegistry(CURRENT_SCHEMA_VERSION);
