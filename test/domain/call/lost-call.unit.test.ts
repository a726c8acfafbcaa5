import { describe, expect, it } from 'vitest';
import type { CallCommand } from '../../../src/domain/call/commands.ts';
import { decide } from '../../../src/domain/call/decide.ts';
import type { LostCallBillingRule } from '../../../src/domain/call/events.ts';
import { evolveAll } from '../../../src/domain/call/evolve.ts';
import { statusOf } from '../../../src/domain/call/status.ts';
import { lostCallBillingSentence } from '../../../src/domain/audit/lost-call.ts';
import { callId, cmd, ev, expectValid, states, T } from './fixtures.ts';

/**
 * The lost-call rule: an answered call whose end no PBX reported ends LOST, with no Q.850 cause,
 * billed from the answer to the last fact the PBX gave about the channel (or not at all).
 */
const lastHeartbeat = '2026-01-01T10:00:20.000Z'; // 15 s after the answer
const detected = '2026-01-01T10:00:35.500Z';

function loss(lastSeenAt: string | null, billingRule: LostCallBillingRule = 'until_last_seen', at = detected): CallCommand {
  return { type: 'RecordLoss', data: { callId, lastSeenAt, reason: 'lost while disconnected', billingRule, at } };
}

describe('given an answered call, when its loss is recorded', () => {
  it('then it ends LOST with no cause, billed up to the last fact seen, not to the detection', () => {
    const events = decide(loss(lastHeartbeat), states.Answered());
    expectValid(events);
    expect(events).toEqual([
      {
        type: 'CallLost',
        data: {
          callId,
          answeredAt: T.answered,
          lastSeenAt: lastHeartbeat,
          detectedAt: detected,
          reason: 'lost while disconnected',
          billingRule: 'until_last_seen',
          billableUntil: lastHeartbeat,
          billableMs: 15_000,
        },
      },
    ]);
    const ended = evolveAll([ev.requested(), ev.dialing(), ev.ringing(), ev.answered(), ...events]);
    expect(statusOf(ended)).toBe('LOST');
    expect(ended).toMatchObject({ status: 'Ended', ending: { kind: 'lost', billableMs: 15_000, endedAt: detected } });
  });

  it('then under not_billed nothing is billable, whatever was seen', () => {
    const [event] = decide(loss(lastHeartbeat, 'not_billed'), states.Answered());
    expect(event).toMatchObject({ type: 'CallLost', data: { billingRule: 'not_billed', billableUntil: null, billableMs: 0 } });
  });

  it('then with no fact after the answer, billable time stops at the answer', () => {
    const [event] = decide(loss(null), states.Answered());
    expect(event).toMatchObject({ type: 'CallLost', data: { lastSeenAt: null, billableUntil: T.answered, billableMs: 0 } });
  });

  it('then a last-seen mark before the answer or after the detection is clamped into the call', () => {
    const [early] = decide(loss('2026-01-01T10:00:01.000Z'), states.Answered());
    expect(early).toMatchObject({ data: { billableUntil: T.answered, billableMs: 0 } });
    const [late] = decide(loss('2026-01-01T10:09:00.000Z'), states.Answered());
    expect(late).toMatchObject({ data: { billableUntil: detected, billableMs: 30_500 } });
  });

  it('then a recording reported afterwards is still kept, and media stragglers are dropped', () => {
    const lost = evolveAll([ev.requested(), ev.dialing(), ev.ringing(), ev.answered(), ...decide(loss(lastHeartbeat), states.Answered())]);
    const recording: CallCommand = { type: 'RecordRecording', data: { callId, name: 'rec', format: 'wav', durationSeconds: 3, at: T.later } };
    expect(decide(recording, lost)).toMatchObject([{ type: 'RecordingStored' }]);
    expect(decide(cmd.dtmf(), lost)).toEqual([]);
  });
});

describe('given a call that never answered, when its loss is recorded', () => {
  it.each(['Requested', 'Dialing', 'Ringing'] as const)('then from %s it fails LOST with no cause and nothing billable', (name) => {
    const events = decide(loss(lastHeartbeat), states[name]());
    expectValid(events);
    expect(events).toMatchObject([{ type: 'CallFailed', data: { outcome: 'LOST', cause: null, retryable: true, reason: 'lost while disconnected' } }]);
  });
});

describe('given a call that already ended, when a loss arrives late', () => {
  it.each(['Completed', 'Failed'] as const)('then from %s nothing changes', (name) => {
    expect(decide(loss(lastHeartbeat), states[name]())).toEqual([]);
  });
});

describe('the audit sentence', () => {
  it('names the rule, the last fact and the billed span', () => {
    const [event] = decide(loss(lastHeartbeat), states.Answered());
    const sentence = lostCallBillingSentence(event!.data as never);
    expect(sentence).toContain('until_last_seen');
    expect(sentence).toContain(lastHeartbeat);
    expect(sentence).toContain('15000 ms');
    const [free] = decide(loss(lastHeartbeat, 'not_billed'), states.Answered());
    expect(lostCallBillingSentence(free!.data as never)).toContain('not_billed');
  });
});
