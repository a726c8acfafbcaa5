import { z } from 'zod';
import type { CallingHoursPolicy } from '../../domain/shared/calling-hours.ts';
import { WEEKDAYS } from '../../domain/shared/local-time.ts';
import { clockTime, days } from './campaigns.ts';

/**
 * `calling_hours` as the account settings and POST /calls take it: HH:MM start and end (in the
 * callee's time; start > end crosses midnight), `days` defaulting to every day, `enforce` to false.
 * Read the same way as a campaign's hours, with the same messages.
 */
export const callingHoursBody = z
  .strictObject({
    start: clockTime,
    end: clockTime,
    days: days.optional(),
    enforce: z.boolean().optional(),
  })
  .refine((hours) => hours.start !== hours.end, { path: ['end'], message: 'The end must differ from the start' })
  .transform(
    (hours): CallingHoursPolicy => ({ start: hours.start, end: hours.end, days: hours.days ?? [...WEEKDAYS], enforce: hours.enforce ?? false }),
  );
