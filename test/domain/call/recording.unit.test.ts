import { describe, expect, it } from 'vitest';
import { decide } from '../../../src/domain/call/decide.ts';
import { evolveAll } from '../../../src/domain/call/evolve.ts';
import type { CallCommand } from '../../../src/domain/call/commands.ts';
import { InvalidTransitionError, NotFoundError } from '../../../src/domain/shared/errors.ts';
import { callId, ev } from './fixtures.ts';

const recordingStored = (name = 'calltrail-rec-1'): CallCommand => ({
  type: 'RecordRecording',
  data: { callId, name, format: 'wav', durationSeconds: 31, at: '2026-01-01T10:00:36.000Z' },
});

describe('RecordRecording', () => {
  it('given an answered call, records the stored recording', () => {
    const state = evolveAll([ev.requested(), ev.dialing(), ev.answered()]);
    expect(decide(recordingStored(), state)).toEqual([
      { type: 'RecordingStored', data: { callId, name: 'calltrail-rec-1', format: 'wav', durationSeconds: 31, at: '2026-01-01T10:00:36.000Z' } },
    ]);
  });

  it('given a completed call, still records a recording the PBX reported after the hangup', () => {
    const state = evolveAll([ev.requested(), ev.dialing(), ev.answered(), ev.completed()]);
    expect(decide(recordingStored(), state).map((e) => e.type)).toEqual(['RecordingStored']);
  });

  it('given the recording is already recorded, a redelivery is a no-op (before and after the end)', () => {
    const [stored] = decide(recordingStored(), evolveAll([ev.requested(), ev.dialing(), ev.answered()]));
    const answered = evolveAll([ev.requested(), ev.dialing(), ev.answered(), stored!]);
    expect(decide(recordingStored(), answered)).toEqual([]);
    const ended = evolveAll([ev.requested(), ev.dialing(), ev.answered(), stored!, ev.completed()]);
    expect(decide(recordingStored(), ended)).toEqual([]);
    expect(decide(recordingStored('calltrail-rec-2'), ended)).toHaveLength(1);
  });

  it('refuses a recording for a call that never answered, and 404s an unknown call', () => {
    expect(() => decide(recordingStored(), evolveAll([ev.requested(), ev.dialing(), ev.failed()]))).toThrow(InvalidTransitionError);
    expect(() => decide(recordingStored(), evolveAll([ev.requested(), ev.dialing()]))).toThrow(InvalidTransitionError);
    expect(() => decide(recordingStored(), evolveAll([]))).toThrow(NotFoundError);
  });
});
