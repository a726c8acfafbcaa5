import { DomainError } from '../../domain/shared/errors.ts';
import type { PlacementStep } from '../calls/placement.ts';
import type { DncListing, DncScreen } from './port.ts';

/** 451, as ZeroVoice answers it: the number is on a do-not-call list that binds this tenant. */
export class DncListedError extends DomainError {
  constructor(listing: DncListing) {
    super('DNC_LISTED', `The number ${listing.phone} is on the ${listing.scope === 'operator' ? 'operator-wide' : "account's"} do-not-call list.`, {
      scope: listing.scope,
      phone: listing.phone,
    });
    this.name = 'DncListedError';
  }
}

/**
 * Refuses a call to a listed number before anything is written or held. It holds nothing itself,
 * so it has no undo; it must run before the balance hold so a refused call never touches money.
 */
export function dncPlacement(screen: DncScreen): PlacementStep {
  return {
    checkOnly: true,
    async beforePlace(call) {
      const listing = await screen.check(call.tenantId, call.to, call.claimedAt ? { after: call.claimedAt } : {});
      if (listing) throw new DncListedError(listing);
    },
  };
}
