import { z } from 'zod';
import type { CallingWindow } from './calling-window.ts';
import { parseClockTime, WEEKDAYS } from './local-time.ts';

/**
 * An account's (or one call's) permitted calling hours, in the callee's wall-clock time: the same
 * [start, end) rule as a campaign's (start > end crosses midnight), on the days given.
 * `enforce`: the account's hours bind every call; a call may then neither replace nor drop them.
 */
const clockTime = z.string().refine((text) => parseClockTime(text) !== null, 'must be HH:MM, 00:00 to 23:59');

export const CallingHoursPolicySchema = z
  .object({
    start: clockTime,
    end: clockTime,
    days: z.array(z.enum(WEEKDAYS)).min(1),
    enforce: z.boolean(),
  })
  .refine((hours) => hours.start !== hours.end, { message: 'start and end must differ', path: ['end'] });
export type CallingHoursPolicy = z.infer<typeof CallingHoursPolicySchema>;

export function windowOf(policy: CallingHoursPolicy): CallingWindow {
  return { hours: { start: policy.start, end: policy.end }, days: policy.days };
}
