import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/** Zod's issues as the `details.issues` every validation error carries: a dotted path and a message. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * An event checked against its schema before a decider returns it, so malformed command data is
 * refused as input instead of being stored as a fact every projection then trips over. Any
 * aggregate can build its `emit` from this.
 */
export function checkedEvent<Type extends string, Data>(schema: z.ZodType, type: Type, data: Data): { readonly type: Type; readonly data: Data } {
  parsedData(schema, type, data);
  return { type, data };
}

/** The same check, keeping what the schema made of the data (its defaults applied, unknown keys dropped). */
export function parsedEvent<Type extends string>(schema: z.ZodType, type: Type, data: unknown): { readonly type: Type; readonly data: unknown } {
  return { type, data: parsedData(schema, type, data) };
}

function parsedData(schema: z.ZodType, type: string, data: unknown): unknown {
  const checked = schema.safeParse(data);
  if (!checked.success) {
    throw new ValidationError(`The command would produce an invalid ${type} event.`, { event: type, issues: issuesOf(checked.error) });
  }
  return checked.data;
}
