import { describe, expect, it } from 'vitest';
import { ComplianceAudit, type ComplianceInputEvent } from '../../../src/domain/audit/compliance.ts';

/** The compliance fold on hand-made logs: each dial is judged against exactly the DNC events before it. */

const TENANT = 'tenant-a';
const OTHER = 'tenant-b';
const PHONE = '+923001234567';
let seq = 0n;

function event(streamName: string, type: string, data: Record<string, unknown>, tenantId = TENANT): ComplianceInputEvent {
  seq++;
  return { type, data, streamName, position: { commit: 1n, prepare: seq }, metadata: { eventId: `e${seq}`, tenantId } };
}
const added = (stream: string, phone = PHONE) => event(stream, 'DncEntryAdded', { phone, scope: stream === 'dnc-operator' ? 'operator' : 'tenant', reason: null, source: 'api', callId: null, addedAt: '2026-12-03T09:00:00.000Z' });
const removed = (stream: string) => event(stream, 'DncEntryRemoved', { phone: PHONE, scope: 'tenant', reason: 'consented', removedAt: '2026-12-03T09:00:00.000Z' });
const imported = (stream: string, phones: string[]) => event(stream, 'DncEntriesImported', { importId: 'i', scope: 'tenant', entries: phones.map((phone) => ({ phone, reason: null })), importedAt: '2026-12-03T09:00:00.000Z' });
const requested = (callId: string, tenantId = TENANT, callingWindow?: unknown) =>
  event(`call-${callId}`, 'CallRequested', { callId, tenantId, to: PHONE, campaignId: null, requestedAt: '2026-12-03T10:00:00.000Z', ...(callingWindow === undefined ? {} : { callingWindow }) }, tenantId);
const dialing = (callId: string, at = '2026-12-03T10:00:00.100Z', tenantId = TENANT) => event(`call-${callId}`, 'CallDialing', { callId, channelId: `ct-${callId}`, at }, tenantId);
const blocked = (callId: string) => event(`call-${callId}`, 'CallBlocked', { callId, reason: 'dnc', scope: 'tenant', blockedAt: '2026-12-03T10:00:00.200Z' });

function run(events: ComplianceInputEvent[]) {
  const audit = new ComplianceAudit('2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z');
  for (const e of events) audit.apply(e);
  return audit.report();
}

describe('the compliance fold', () => {
  it('flags a dial after a listing on the tenant’s list or the operator’s, not after another tenant’s', () => {
    const report = run([
      added('dnc-operator', '+923009999999'),
      added(`dnc-${OTHER}`),
      requested('c1'), dialing('c1'),
      added(`dnc-${TENANT}`),
      requested('c2'), dialing('c2'),
      requested('c3', OTHER), dialing('c3', undefined, OTHER),
    ]);
    const byId = Object.fromEntries(report.calls.map((call) => [call.callId, call]));
    // c1 was dialled before its tenant listed the number; the other tenant's entry never binds it.
    expect(byId.c1).toMatchObject({ dnc: { listed: false, eventsFolded: 1 }, violations: [] });
    expect(byId.c2).toMatchObject({ dnc: { listed: true, eventsFolded: 2, entry: { scope: 'tenant', eventType: 'DncEntryAdded' } } });
    expect(byId.c2!.violations).toHaveLength(1);
    expect(byId.c3).toMatchObject({ dnc: { listed: true, entry: { scope: 'tenant' } } });
    expect(report).toMatchObject({ dialled: 3, blocked: 0, violations: 2 });
  });

  it('a removal lifts the listing for later dials; an import lists every number of its chunk; the operator list binds every tenant', () => {
    const report = run([
      imported(`dnc-${TENANT}`, [PHONE, '+923001111111']),
      requested('c1'), dialing('c1'),
      removed(`dnc-${TENANT}`),
      requested('c2'), dialing('c2'),
      added('dnc-operator'),
      requested('c3', OTHER), dialing('c3', undefined, OTHER),
    ]);
    const byId = Object.fromEntries(report.calls.map((call) => [call.callId, call]));
    expect(byId.c1!.dnc).toMatchObject({ listed: true, entry: { scope: 'tenant', eventType: 'DncEntriesImported' } });
    expect(byId.c2!.dnc).toMatchObject({ listed: false, eventsFolded: 2 });
    expect(byId.c3!.dnc).toMatchObject({ listed: true, entry: { scope: 'operator' } });
  });

  it('a call the dialer blocked is listed as blocked, never as a violation', () => {
    const report = run([added(`dnc-${TENANT}`), requested('c1'), dialing('c1'), blocked('c1')]);
    expect(report).toMatchObject({ dialled: 0, blocked: 1, violations: 0 });
    expect(report.calls[0]).toMatchObject({ blocked: true, violations: [] });
  });

  it('judges the recorded calling window at the dialling instant, in every zone; no window recorded proves nothing', () => {
    const window = { hours: { start: '09:00', end: '18:00' }, days: ['thu'], zones: ['Asia/Karachi'] };
    const report = run([
      requested('inside', TENANT, window), dialing('inside', '2026-12-03T05:00:00.000Z'), // 10:00 in Karachi
      requested('outside', TENANT, window), dialing('outside', '2026-12-03T13:00:00.000Z'), // 18:00: the end is excluded
      requested('none', TENANT, null), dialing('none'),
      requested('old'), dialing('old'),
    ]);
    const byId = Object.fromEntries(report.calls.map((call) => [call.callId, call]));
    expect(byId.inside!.window).toMatchObject({ verdict: 'inside', source: 'call' });
    expect(byId.outside!.window).toMatchObject({ verdict: 'outside' });
    expect(byId.outside!.violations).toEqual([expect.stringMatching(/outside its calling window/)]);
    expect(byId.none!.window).toEqual({ verdict: 'no_hours', source: 'call' });
    expect(byId.old!.window).toEqual({ verdict: 'not_recorded' });
    expect(report.violations).toBe(1);
  });

  it('judges only dials inside the period, and flags a CallDialing with no request before it', () => {
    const report = run([requested('early'), dialing('early', '2026-12-02T23:59:59.999Z'), dialing('orphan')]);
    expect(report.calls.map((call) => call.callId)).toEqual(['orphan']);
    expect(report.calls[0]!.violations).toEqual([expect.stringMatching(/no CallRequested/)]);
  });
});
