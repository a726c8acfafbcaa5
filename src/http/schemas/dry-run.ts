import { z } from 'zod';
import type { Request } from 'express';
import { ValidationError } from '../../domain/shared/errors.ts';

/**
 * `?dry_run=true`: the request is checked exactly as it would be carried out, and the answer says
 * what would happen, with nothing written. `true`/`1` turn it on, `false`/`0` (or nothing) off.
 */
export const dryRunQuery = z.object({
  dry_run: z.enum(['true', 'false', '1', '0']).optional().meta({ description: 'true: validate and report, write nothing (answers 200)' }),
});

export function isDryRun(req: Request): boolean {
  const raw = req.query.dry_run;
  if (raw === undefined) return false;
  const parsed = dryRunQuery.safeParse({ dry_run: typeof raw === 'string' ? raw.trim().toLowerCase() : raw });
  if (!parsed.success) throw new ValidationError('`dry_run` must be true or false.', { issues: [{ path: 'dry_run', message: 'expected true or false' }] });
  return parsed.data.dry_run === 'true' || parsed.data.dry_run === '1';
}
