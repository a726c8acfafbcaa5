import { checkedEvent } from '../shared/checked-event.ts';
import { callEventSchemas, type CallEventOf, type CallEventType } from './events.ts';

/**
 * Builds an event and checks it against its schema before it leaves the decider, so a malformed
 * command (a bad timestamp, a non-E.164 number) is refused as input instead of being stored as a
 * fact that every projection would then trip over.
 */
export function emit<K extends CallEventType>(type: K, data: CallEventOf<K>['data']): CallEventOf<K> {
  return checkedEvent(callEventSchemas[type], type, data) as unknown as CallEventOf<K>;
}
