import { checkedEvent } from '../shared/checked-event.ts';
import { DomainError, InvalidTransitionError, NotFoundError } from '../shared/errors.ts';
import {
  isScheduledCallEventType,
  scheduledCallEventSchemas,
  type ScheduledCallEvent,
  type ScheduledCallEventOf,
  type ScheduledCallEventType,
} from './events.ts';

export type ScheduledRequest = ScheduledCallEventOf<'CallScheduled'>['data'];

export type ScheduledCallState =
  | { readonly status: 'Initial' }
  | { readonly status: 'Scheduled' | 'Released' | 'Cancelled' | 'Refused'; readonly request: ScheduledRequest };

export type ScheduledCallCommand =
  | {
      readonly type: 'ScheduleCall';
      readonly data: Omit<ScheduledRequest, 'scheduledAt' | 'statusCallback'> & { at: string; statusCallback?: ScheduledRequest['statusCallback'] };
    }
  | { readonly type: 'ReleaseScheduledCall'; readonly data: { callId: string; at: string } }
  | { readonly type: 'CancelScheduledCall'; readonly data: { callId: string; reason: string; at: string } }
  | { readonly type: 'RecordScheduledCallRefused'; readonly data: { callId: string; code: string; message: string; at: string } };

export function initialScheduledCallState(): ScheduledCallState {
  return { status: 'Initial' };
}

export function evolveScheduledCall(state: ScheduledCallState, event: { readonly type: string; readonly data: unknown }): ScheduledCallState {
  if (!isScheduledCallEventType(event.type)) return state;
  const known = event as ScheduledCallEvent;
  switch (known.type) {
    case 'CallScheduled':
      return state.status === 'Initial' ? { status: 'Scheduled', request: known.data } : state;
    case 'ScheduledCallReleased':
      return state.status === 'Scheduled' ? { ...state, status: 'Released' } : state;
    case 'ScheduledCallCancelled':
      return state.status === 'Scheduled' ? { ...state, status: 'Cancelled' } : state;
    case 'ScheduledCallRefused':
      return state.status === 'Released' ? { ...state, status: 'Refused' } : state;
    default: {
      const unreachable: never = known;
      return unreachable;
    }
  }
}

const emit = <K extends ScheduledCallEventType>(type: K, data: ScheduledCallEventOf<K>['data']): ScheduledCallEventOf<K> =>
  checkedEvent(scheduledCallEventSchemas[type], type, data) as unknown as ScheduledCallEventOf<K>;

/**
 * | command \ state   | Initial        | Scheduled                         | Released        | Cancelled | Refused |
 * |-------------------|----------------|-----------------------------------|-----------------|-----------|---------|
 * | ScheduleCall      | CallScheduled  | same call → [] (a retried request)                                         |
 * | Release           | 404            | before notBefore → refuse; else Released | []       | refuse    | refuse  |
 * | Cancel            | 404            | Cancelled                         | ALREADY_RELEASED | []       | []      |
 * | RecordRefused     | 404            | refuse                            | Refused         | refuse    | []      |
 *
 * Release and Cancel are decided on the same stream with the expected revision, so whichever is
 * written first wins: a cancelled call is never placed, a released one is placed exactly once.
 */
export function decideScheduledCall(command: ScheduledCallCommand, state: ScheduledCallState): ScheduledCallEvent[] {
  const { callId } = command.data;
  if (state.status === 'Initial' && command.type !== 'ScheduleCall') {
    throw new NotFoundError('CALL_NOT_FOUND', 'No call with this id exists in your account.', { call_id: callId });
  }
  switch (command.type) {
    case 'ScheduleCall': {
      if (state.status !== 'Initial') return [];
      const { at, ...request } = command.data;
      return [emit('CallScheduled', { ...request, statusCallback: request.statusCallback ?? null, scheduledAt: at })];
    }
    case 'ReleaseScheduledCall': {
      if (state.status === 'Released') return [];
      if (state.status !== 'Scheduled') throw new InvalidTransitionError(`A ${state.status.toLowerCase()} call cannot be released.`, { callId });
      if (Date.parse(command.data.at) < Date.parse(state.request.notBefore)) {
        throw new InvalidTransitionError('A scheduled call cannot be placed before its time.', { callId, notBefore: state.request.notBefore });
      }
      return [emit('ScheduledCallReleased', { callId, at: command.data.at })];
    }
    case 'CancelScheduledCall': {
      if (state.status === 'Cancelled' || state.status === 'Refused') return [];
      if (state.status === 'Released') {
        throw new DomainError('SCHEDULED_CALL_RELEASED', 'The scheduled call is being placed now; hang it up once it shows.', { call_id: callId });
      }
      return [emit('ScheduledCallCancelled', { callId, reason: command.data.reason, at: command.data.at })];
    }
    case 'RecordScheduledCallRefused': {
      if (state.status === 'Refused') return [];
      if (state.status !== 'Released') throw new InvalidTransitionError('Only a released call can be refused at placement.', { callId });
      const { code, message, at } = command.data;
      return [emit('ScheduledCallRefused', { callId, code, message, at })];
    }
    default: {
      const unhandled: never = command;
      throw new Error(`Unknown scheduled call command: ${JSON.stringify(unhandled)}`);
    }
  }
}

export const scheduledCallDecider = {
  initialState: initialScheduledCallState,
  evolve: evolveScheduledCall,
  decide: decideScheduledCall,
};
