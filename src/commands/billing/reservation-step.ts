import type { PlacementStep } from '../calls/placement.ts';
import type { BillingService } from './billing-service.ts';

/**
 * Prepaid calls: before a live call is written, hold enough of the account's balance for its
 * maximum duration at its destination's rate (402 INSUFFICIENT_BALANCE when the available balance
 * cannot cover it, 422 when nothing prices the destination). If the call is then not written, the
 * undo releases the hold. Test-mode calls never touch the real balance: no hold, and no charge.
 */
export function prepaidReservation(billing: BillingService): PlacementStep {
  return {
    async beforePlace(call) {
      if (call.mode === 'test') return;
      await billing.reserve(call);
      return async () => {
        await billing.release(
          { now: call.now, tenantId: call.tenantId, actor: call.actor, correlationId: call.correlationId, causationId: call.correlationId },
          call.tenantId,
          call.callId,
          'call_not_placed',
        );
      };
    },
  };
}
