import { usableNumberZones } from '../shared/callee-zones.ts';
import { windowOf, type CallingHoursPolicy } from '../shared/calling-hours.ts';
import { isInsideWindow, nextWindowOpening } from '../shared/calling-window.ts';
import { DomainError } from '../shared/errors.ts';

/**
 * Whether a single call may be placed now, under the account's calling hours or the call's own.
 * Pure: the number's zones (from the phone-number data) and the instant are passed in.
 *
 * - The call's own hours replace the account's, and `null` drops them for this call, unless the
 *   account enforces its hours: then a call can do neither (CALLING_HOURS_ENFORCED).
 * - The hours are read in every zone of the number's region (inside only when inside in all of
 *   them); when the data places the number nowhere usable, in the account's zone.
 */

export type CallingHoursVerdict =
  | { readonly permitted: true; readonly zones: readonly string[] }
  | {
      readonly permitted: false;
      readonly zones: readonly string[];
      /** The first instant every zone is inside the hours; null when none comes within about a week. */
      readonly nextPermittedAt: Date | null;
    };

export function effectiveCallingHours(
  account: CallingHoursPolicy | null,
  perCall: CallingHoursPolicy | null | undefined,
): CallingHoursPolicy | null {
  if (perCall === undefined) return account;
  if (account?.enforce) {
    throw new DomainError('CALLING_HOURS_ENFORCED', 'This account enforces its calling hours; a call cannot replace them.', {
      field: 'calling_hours',
    });
  }
  return perCall;
}

export function judgeCallingHours(input: {
  hours: CallingHoursPolicy | null;
  numberZones: readonly string[] | null;
  accountTimeZone: string;
  now: Date;
}): CallingHoursVerdict | null {
  if (input.hours === null) return null;
  const window = windowOf(input.hours);
  const zones = usableNumberZones(input.numberZones, window, input.now) ?? [input.accountTimeZone];
  if (isInsideWindow(zones, window, input.now)) return { permitted: true, zones };
  return { permitted: false, zones, nextPermittedAt: nextWindowOpening(zones, window, input.now) };
}

export class OutsideCallingHoursError extends DomainError {
  constructor(verdict: Extract<CallingHoursVerdict, { permitted: false }>) {
    super(
      'OUTSIDE_CALLING_HOURS',
      verdict.nextPermittedAt
        ? `The callee is outside the permitted calling hours; the next permitted time is ${verdict.nextPermittedAt.toISOString()}. Send schedule: "next_window" to place it then.`
        : 'The callee is outside the permitted calling hours, and they do not open within a week.',
      { next_permitted_at: verdict.nextPermittedAt?.toISOString() ?? null, zones: verdict.zones },
    );
    this.name = 'OutsideCallingHoursError';
  }
}
