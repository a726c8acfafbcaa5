import { describe, expect, it } from 'vitest';
import { TERMINAL_FAILURE_OUTCOMES } from '../../../src/domain/call/events.ts';
import { CALL_STATUSES, isTerminalStatus, statusAfter, statusOf } from '../../../src/domain/call/status.ts';
import { ev, states } from './fixtures.ts';

describe('call statuses', () => {
  it('lists the live statuses, COMPLETED, every failure outcome and BLOCKED (do-not-call at dial time)', () => {
    expect(CALL_STATUSES).toEqual(['REQUESTED', 'DIALING', 'RINGING', 'ANSWERED', 'COMPLETED', ...TERMINAL_FAILURE_OUTCOMES, 'BLOCKED']);
  });

  it.each([
    ['Initial', null],
    ['Requested', 'REQUESTED'],
    ['Dialing', 'DIALING'],
    ['Ringing', 'RINGING'],
    ['Answered', 'ANSWERED'],
    ['Completed', 'COMPLETED'],
    ['Failed', 'BUSY'],
  ] as const)('statusOf a %s call is %s', (name, status) => {
    expect(statusOf(states[name]())).toBe(status);
  });

  it('statusAfter maps each event to the status it leads to, or null when the status stays', () => {
    expect(statusAfter(ev.requested())).toBe('REQUESTED');
    expect(statusAfter(ev.dialing())).toBe('DIALING');
    expect(statusAfter(ev.ringing())).toBe('RINGING');
    expect(statusAfter(ev.answered())).toBe('ANSWERED');
    expect(statusAfter(ev.completed())).toBe('COMPLETED');
    expect(statusAfter(ev.failed())).toBe('BUSY');
    expect(statusAfter(ev.hangupRequested())).toBeNull();
  });

  it('only COMPLETED, the failure outcomes and BLOCKED are terminal', () => {
    expect(CALL_STATUSES.filter(isTerminalStatus)).toEqual(['COMPLETED', ...TERMINAL_FAILURE_OUTCOMES, 'BLOCKED']);
  });
});
