import { isDncEventType, type DncEvent } from './events.ts';
import type { DncListState } from './state.ts';

/** Folds one event into the list, in place (see state.ts). Unknown event types are skipped. */
export function evolveDncList(state: DncListState, event: { readonly type: string; readonly data: unknown }): DncListState {
  if (!isDncEventType(event.type)) return state;
  const known = event as DncEvent;
  switch (known.type) {
    case 'DncEntryAdded':
      state.listed.add(known.data.phone);
      if (known.data.source === 'keypress' && known.data.callId !== null) state.optOutCalls.add(known.data.callId);
      return state;
    case 'DncEntriesImported':
      for (const entry of known.data.entries) state.listed.add(entry.phone);
      return state;
    case 'DncEntryRemoved':
      state.listed.delete(known.data.phone);
      return state;
    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}
