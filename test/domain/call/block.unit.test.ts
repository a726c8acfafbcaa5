import { describe, expect, it } from 'vitest';
import type { CallCommand } from '../../../src/domain/call/commands.ts';
import { decide } from '../../../src/domain/call/decide.ts';
import { evolveAll } from '../../../src/domain/call/evolve.ts';
import { statusOf } from '../../../src/domain/call/status.ts';
import { InvalidTransitionError, NotFoundError } from '../../../src/domain/shared/errors.ts';
import { callId, ev, expectValid, T } from './fixtures.ts';

/** BlockCall: the dialer's do-not-call check between CallDialing and the originate. */
const block: CallCommand = { type: 'BlockCall', data: { callId, scope: 'operator', at: T.dialing } };

describe('blocking a claimed call on the do-not-call list', () => {
  it('given a call claimed for dialling, when it is blocked, then CallBlocked ends it as BLOCKED, never answered', () => {
    const dialing = evolveAll([ev.requested(), ev.dialing()]);
    const events = decide(block, dialing);
    expectValid(events);
    expect(events).toEqual([{ type: 'CallBlocked', data: { callId, reason: 'dnc', scope: 'operator', blockedAt: T.dialing } }]);
    const ended = evolveAll(events, dialing);
    expect(statusOf(ended)).toBe('BLOCKED');
    expect(ended.status === 'Ended' && ended.ending).toEqual({ kind: 'blocked', scope: 'operator', endedAt: T.dialing });
    // Blocking again repeats a fact: nothing more; a late PBX report cannot revive it.
    expect(decide(block, ended)).toEqual([]);
    expect(() => decide({ type: 'MarkRinging', data: { callId, at: T.ringing } }, ended)).toThrow(InvalidTransitionError);
  });

  it('refuses to block a call that does not exist, was not claimed, or already reached the PBX', () => {
    expect(() => decide(block, evolveAll([]))).toThrow(NotFoundError);
    expect(() => decide(block, evolveAll([ev.requested()]))).toThrow(InvalidTransitionError);
    expect(() => decide(block, evolveAll([ev.requested(), ev.dialing(), ev.ringing()]))).toThrow(InvalidTransitionError);
    expect(() => decide(block, evolveAll([ev.requested(), ev.dialing(), ev.failed()]))).toThrow(InvalidTransitionError);
  });
});
