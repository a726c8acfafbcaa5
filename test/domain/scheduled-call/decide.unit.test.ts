import { describe, expect, it } from 'vitest';
import { scheduledCallDecider, type ScheduledCallCommand, type ScheduledCallEvent } from '../../../src/domain/scheduled-call/index.ts';
import { InvalidTransitionError } from '../../../src/domain/shared/errors.ts';

const callId = '5b1c7c1e-0000-4000-8000-000000000001';
const request = {
  callId,
  tenantId: 't-1',
  to: '+923001234567',
  from: null,
  audioId: null,
  record: false,
  ringTimeoutSeconds: 30,
  maxDurationSeconds: 120,
  mode: 'test' as const,
  optOutDigit: null,
  notBefore: '2026-03-02T04:00:00.000Z',
  zones: ['Asia/Karachi'],
};
const schedule: ScheduledCallCommand = { type: 'ScheduleCall', data: { ...request, at: '2026-03-02T03:00:00.000Z' } };
const release = (at: string): ScheduledCallCommand => ({ type: 'ReleaseScheduledCall', data: { callId, at } });
const cancel: ScheduledCallCommand = { type: 'CancelScheduledCall', data: { callId, reason: 'cancelled by API', at: '2026-03-02T03:30:00.000Z' } };

function run(...commands: ScheduledCallCommand[]) {
  let state = scheduledCallDecider.initialState();
  const events: ScheduledCallEvent[] = [];
  for (const command of commands) {
    const decided = scheduledCallDecider.decide(command, state);
    events.push(...decided);
    state = decided.reduce(scheduledCallDecider.evolve, state);
  }
  return { state, events };
}

describe('a scheduled call', () => {
  it('is written once, and a retried request adds nothing', () => {
    const { events, state } = run(schedule, schedule);
    expect(events.map((e) => e.type)).toEqual(['CallScheduled']);
    expect(state).toMatchObject({ status: 'Scheduled', request: { ...request, scheduledAt: '2026-03-02T03:00:00.000Z' } });
  });

  it('cannot be released before its time, and is released once at it', () => {
    expect(() => run(schedule, release('2026-03-02T03:59:59.999Z'))).toThrow(InvalidTransitionError);
    const { events, state } = run(schedule, release('2026-03-02T04:00:00.000Z'), release('2026-03-02T04:00:01.000Z'));
    expect(events.map((e) => e.type)).toEqual(['CallScheduled', 'ScheduledCallReleased']);
    expect(state.status).toBe('Released');
  });

  it('once cancelled is never released; once released cannot be cancelled', () => {
    expect(run(schedule, cancel, cancel).events.map((e) => e.type)).toEqual(['CallScheduled', 'ScheduledCallCancelled']);
    expect(() => run(schedule, cancel, release('2026-03-02T05:00:00.000Z'))).toThrow(InvalidTransitionError);
    expect(() => run(schedule, release('2026-03-02T05:00:00.000Z'), cancel)).toThrow(expect.objectContaining({ code: 'SCHEDULED_CALL_RELEASED' }));
  });

  it('records a refusal at placement only after its release', () => {
    const refuse: ScheduledCallCommand = { type: 'RecordScheduledCallRefused', data: { callId, code: 'DNC_LISTED', message: 'listed', at: '2026-03-02T04:00:00.000Z' } };
    expect(() => run(schedule, refuse)).toThrow(InvalidTransitionError);
    expect(run(schedule, release('2026-03-02T04:00:00.000Z'), refuse, refuse).state.status).toBe('Refused');
  });

  it('is unknown until scheduled', () => {
    expect(() => run(cancel)).toThrow(expect.objectContaining({ code: 'CALL_NOT_FOUND' }));
  });
});
