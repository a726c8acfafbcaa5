import { describe, expect, it } from 'vitest';
import { billableSeconds, callView } from '../../../src/http/views/call.ts';
import type { CallRow } from '../../../src/projections/calls/types.ts';
import { callRowFixture } from '../../support/call-row.ts';

const row = (overrides: Partial<CallRow> = {}): CallRow =>
  callRowFixture({
    callId: '6f1c1f0e-52a4-4c35-9d1b-0b8f5c3d9a10',
    tenantId: 't',
    to: '+4915112345678',
    from: '+4930123456',
    audioId: 'welcome',
    record: true,
    campaignId: 'camp-1',
    requestedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  });

describe('billableSeconds', () => {
  it.each([
    [0, 0],
    [1, 1],
    [999, 1],
    [1000, 1],
    [1001, 2],
    [59_999, 60],
    [60_000, 60],
  ])('rounds %i ms up to %i s', (ms, seconds) => {
    expect(billableSeconds({ endedAt: '2026-01-01T00:01:00.000Z', billableMs: ms })).toBe(seconds);
  });

  it('is null while the call is live', () => {
    expect(billableSeconds({ endedAt: null, billableMs: null })).toBeNull();
  });

  it('is 0 for an ended call that was never answered', () => {
    expect(billableSeconds({ endedAt: '2026-01-01T00:01:00.000Z', billableMs: null })).toBe(0);
  });
});

describe('callView', () => {
  it('maps a live call to snake_case with no outcome yet', () => {
    expect(callView(row())).toEqual({
      id: '6f1c1f0e-52a4-4c35-9d1b-0b8f5c3d9a10',
      status: 'REQUESTED',
      phone_number: '+4915112345678',
      from_number: '+4930123456',
      audio_id: 'welcome',
      record: true,
      campaign_id: 'camp-1',
      created_at: '2026-01-01T00:00:00.000Z',
      dialing_at: null,
      ringing_at: null,
      answered_at: null,
      ended_at: null,
      duration_seconds: null,
      billable_ms: null,
      hangup_cause: null,
      failure_reason: null,
      retryable: null,
      mode: 'live',
    });
  });

  it('says whether a call was placed in test mode', () => {
    expect(callView({ ...row(), mode: 'test' }).mode).toBe('test');
  });

  it('shows a failed call\'s cause, reason and retryability', () => {
    const view = callView(
      row({ status: 'BUSY', endedAt: '2026-01-01T00:00:09.000Z', cause: 17, causeText: 'User busy', reason: 'busy', retryable: true }),
    );

    expect(view).toMatchObject({
      status: 'BUSY',
      duration_seconds: 0,
      hangup_cause: { code: 17, text: 'User busy' },
      failure_reason: 'busy',
      retryable: true,
    });
  });

  it('keeps a cause text that came without a Q.850 code', () => {
    const view = callView(row({ status: 'CANCELLED', endedAt: '2026-01-01T00:00:01.000Z', causeText: 'cancelled by user' }));

    expect(view.hangup_cause).toEqual({ code: null, text: 'cancelled by user' });
  });
});
