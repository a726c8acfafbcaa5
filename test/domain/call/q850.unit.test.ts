import { describe, expect, it } from 'vitest';
import { classifyHangup, Q850_TEXT, q850Text } from '../../../src/domain/call/q850.ts';

describe('classifyHangup', () => {
  it.each([
    [17, 'BUSY', true],
    [18, 'NO_ANSWER', true],
    [19, 'NO_ANSWER', true],
    [16, 'NO_ANSWER', true],
    [21, 'REJECTED', false],
    [1, 'INVALID_NUMBER', false],
    [34, 'CONGESTION', true],
    [42, 'CONGESTION', true],
    [3, 'FAILED', false],
    [27, 'FAILED', false],
    [31, 'FAILED', false],
    [41, 'FAILED', false],
    [127, 'FAILED', false],
    [999, 'FAILED', false],
  ] as const)('given no answer, when the cause is %i, then %s (retryable: %s)', (cause, outcome, retryable) => {
    expect(classifyHangup({ cause, answered: false })).toEqual({ kind: 'failed', outcome, retryable });
  });

  it('given no answer and no cause at all, then LOST (the adapter lost track of it), retryable', () => {
    expect(classifyHangup({ cause: null, answered: false })).toEqual({ kind: 'failed', outcome: 'LOST', retryable: true });
  });

  it.each([16, 17, 19, 21, 34, 1, 127, null])('given an answer, whatever the cause (%s), then completed', (cause) => {
    expect(classifyHangup({ cause, answered: true })).toEqual({ kind: 'completed' });
  });
});

describe('Q850_TEXT', () => {
  it('names the causes the rules use', () => {
    for (const cause of [1, 16, 17, 18, 19, 21, 34, 42]) expect(Q850_TEXT[cause]).toBeTruthy();
    expect(q850Text(17)).toBe('User busy');
  });

  it('prints unknown causes by number, and says when there is none', () => {
    expect(q850Text(250)).toBe('Q.850 cause 250');
    expect(q850Text(null)).toBe('No cause reported');
  });
});
