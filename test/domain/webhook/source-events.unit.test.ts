import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../../src/domain/shared/messages.ts';
import { payloadBody, payloadIdOf, subscribes, webhookEventOf } from '../../../src/domain/webhook/index.ts';

const callId = '6f1c2a52-8f1e-4a9b-9a51-3f0c1d2e3f40';
const tenant = 'tenant-1';

function recorded(streamName: string, type: string, data: Record<string, unknown>, tenantId = tenant): RecordedEvent {
  return {
    type,
    data,
    streamName,
    streamRevision: 0n,
    position: { commit: 1n, prepare: 1n },
    metadata: { eventId: 'e-1', correlationId: 'c', causationId: 'c', tenantId, actor: 'system:test', occurredAt: '2026-12-03T10:00:00.000Z', schemaVersion: 1 },
  };
}

describe('which log facts become which webhook events', () => {
  it.each([
    [`call-${callId}`, 'CallRinging', 'call.ringing'],
    [`call-${callId}`, 'CallAnswered', 'call.started'],
    [`call-${callId}`, 'CallCompleted', 'call.completed'],
    [`call-${callId}`, 'CallFailed', 'call.failed'],
    [`call-${callId}`, 'CallLost', 'call.failed'],
    [`call-${callId}`, 'CallBlocked', 'call.failed'],
    [`call-${callId}`, 'RecordingStored', 'recording.ready'],
    ['campaign-c1', 'CampaignStarted', 'campaign.started'],
    ['campaign-c1', 'CampaignPaused', 'campaign.paused'],
    ['campaign-c1', 'CampaignCompleted', 'campaign.completed'],
    [`contactbook-${tenant}`, 'ContactUpdated', 'contact.updated'],
    [`wallet-${tenant}`, 'LowBalanceReached', 'credits.low'],
    [`dnc-${tenant}`, 'DncEntryAdded', 'dnc.added'],
  ])('%s %s → %s', (stream, type, expected) => {
    expect(webhookEventOf(recorded(stream, type, {}))?.type).toBe(expected);
  });

  it('ignores everything else, and the operator-wide do-not-call list, which is no tenant\'s', () => {
    for (const [stream, type] of [[`call-${callId}`, 'CallDialing'], ['campaign-c1', 'ContactAttemptStarted'], [`wallet-${tenant}`, 'FundsDeposited'], ['dnc-operator', 'DncEntryAdded']]) {
      expect(webhookEventOf(recorded(stream!, type!, {}))).toBeNull();
    }
  });

  it('a call blocked by the do-not-call check fails with outcome BLOCKED and its scope', () => {
    const event = webhookEventOf(recorded(`call-${callId}`, 'CallBlocked', { callId, reason: 'dnc', scope: 'operator', blockedAt: 'b' }))!;
    expect(event).toMatchObject({ type: 'call.failed', data: { call_id: callId, reason: 'dnc', scope: 'operator', outcome: 'BLOCKED' } });
  });

  it('gives snake_case data, the call id, the account and the fact\'s time; a lost call fails with outcome LOST', () => {
    const event = webhookEventOf(recorded(`call-${callId}`, 'CallLost', { callId, answeredAt: 'a', billableMs: 5, billingRule: 'until_last_seen' }))!;
    expect(event).toMatchObject({
      accountId: tenant,
      createdAt: '2026-12-03T10:00:00.000Z',
      callId,
      data: { call_id: callId, answered_at: 'a', billable_ms: 5, billing_rule: 'until_last_seen', outcome: 'LOST' },
    });
    // A wallet's account is its stream's, whoever wrote the event.
    expect(webhookEventOf(recorded('wallet-acc-9', 'LowBalanceReached', {}, 'operator'))?.accountId).toBe('acc-9');
  });

  it('derives the payload id from the source event and the endpoint: stable, and different per endpoint', () => {
    expect(payloadIdOf('e-1', 'w-1')).toBe(payloadIdOf('e-1', 'w-1'));
    expect(payloadIdOf('e-1', 'w-1')).not.toBe(payloadIdOf('e-1', 'w-2'));
    expect(payloadIdOf('e-1', 'w-1')).not.toBe(payloadIdOf('e-2', 'w-1'));
    expect(payloadIdOf('e-1', 'w-1')).toMatch(/^evt_[0-9a-f]{32}$/);
  });

  it('builds the body with exactly the documented fields', () => {
    const event = webhookEventOf(recorded(`dnc-${tenant}`, 'DncEntryAdded', { phone: '+923001234567' }))!;
    expect(JSON.parse(payloadBody(event, 'evt_1', 7))).toEqual({
      id: 'evt_1',
      type: 'dnc.added',
      created_at: '2026-12-03T10:00:00.000Z',
      account_id: tenant,
      sequence: 7,
      data: { phone: '+923001234567' },
    });
  });

  it('subscriptions: a type, or everything with *', () => {
    expect(subscribes(['call.completed'], 'call.completed')).toBe(true);
    expect(subscribes(['call.completed'], 'call.failed')).toBe(false);
    expect(subscribes(['*'], 'dnc.added')).toBe(true);
  });
});
