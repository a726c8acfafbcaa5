import { ValidationError } from '../shared/errors.ts';
import { accountEventSchemas, type AccountEventOf, type AccountEventType } from './events.ts';

/** Builds an event, refusing one that would break its own schema (so it is never stored). */
export function emitAccountEvent<K extends AccountEventType>(type: K, data: AccountEventOf<K>['data']): AccountEventOf<K> {
  const checked = accountEventSchemas[type].safeParse(data);
  if (!checked.success) {
    throw new ValidationError(`The command would produce an invalid ${type} event.`, {
      event: type,
      issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return { type, data } as AccountEventOf<K>;
}
