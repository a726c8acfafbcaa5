import { checkedEvent } from '../shared/checked-event.ts';
import { accountEventSchemas, type AccountEventOf, type AccountEventType } from './events.ts';

/** Builds an event, refusing one that would break its own schema (so it is never stored). */
export function emitAccountEvent<K extends AccountEventType>(type: K, data: AccountEventOf<K>['data']): AccountEventOf<K> {
  return checkedEvent(accountEventSchemas[type], type, data) as unknown as AccountEventOf<K>;
}
