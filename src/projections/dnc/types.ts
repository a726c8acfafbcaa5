import type { DncScope, DncSource } from '../../domain/dnc/events.ts';

/** One number on one do-not-call list, as the read model holds it. */
export type DncListing = {
  readonly phone: string;
  readonly scope: DncScope;
  readonly reason: string | null;
  readonly source: DncSource;
  readonly callId: string | null;
  readonly addedAt: string;
};
