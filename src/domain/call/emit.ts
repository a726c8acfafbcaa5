import { ValidationError } from '../shared/errors.ts';
import { callEventSchemas, type CallEventOf, type CallEventType } from './events.ts';

/**
 * Builds an event and checks it against its schema before it leaves the decider, so a malformed
 * command (a bad timestamp, a non-E.164 number) is refused as input instead of being stored as a
 * fact that every projection would then trip over.
 */
export function emit<K extends CallEventType>(type: K, data: CallEventOf<K>['data']): CallEventOf<K> {
  const checked = callEventSchemas[type].safeParse(data);
  if (!checked.success) {
    throw new ValidationError(`The command would produce an invalid ${type} event.`, {
      event: type,
      issues: checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return { type, data } as CallEventOf<K>;
}
