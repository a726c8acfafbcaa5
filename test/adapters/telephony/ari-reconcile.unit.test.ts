import { describe, expect, it } from 'vitest';
import { CallRegistry } from '../../../src/adapters/telephony/ari/call-registry.ts';
import { channelIdFor } from '../../../src/adapters/telephony/ari/identifiers.ts';
import { reconcile } from '../../../src/adapters/telephony/ari/reconcile.ts';

function callsOn(...specs: Array<{ id: string; node: string | null; confirmed?: boolean }>) {
  const registry = new CallRegistry();
  return specs.map((spec) =>
    registry.track({
      callId: spec.id,
      tenantId: 't1',
      node: spec.node,
      media: null,
      record: false,
      maxDurationSeconds: 60,
      confirmed: spec.confirmed ?? true,
    }),
  );
}

const live = (entries: Record<string, string[] | null>) =>
  new Map(
    Object.entries(entries).map(([node, ids]) => [
      node,
      ids === null ? null : new Map(ids.map((id) => [channelIdFor(id), { state: 'Up' }])),
    ]),
  );

describe('reconcile', () => {
  it('declares a call lost when its node answered without its channel', () => {
    const verdicts = reconcile(callsOn({ id: 'a', node: 'pbx1' }, { id: 'b', node: 'pbx1' }), live({ pbx1: ['b'] }));
    expect(verdicts.map((v) => [v.kind, v.call.callId])).toEqual([
      ['lost', 'a'],
      ['found', 'b'],
    ]);
  });

  it('never judges a call whose node could not be asked, nor an unconfirmed originate', () => {
    const verdicts = reconcile(
      callsOn({ id: 'a', node: 'pbx2' }, { id: 'b', node: 'pbx1', confirmed: false }),
      live({ pbx1: [], pbx2: null }),
    );
    expect(verdicts).toEqual([]);
  });

  it('finds a rebuilt call (node unknown) on whichever node holds it', () => {
    const [call] = callsOn({ id: 'a', node: null });
    const verdicts = reconcile([call!], live({ pbx1: [], pbx2: ['a'] }));
    expect(verdicts).toEqual([{ kind: 'found', call, node: 'pbx2', state: 'Up' }]);
  });

  it('declares a rebuilt call lost only when every node answered without it', () => {
    expect(reconcile(callsOn({ id: 'a', node: null }), live({ pbx1: [], pbx2: null }))).toEqual([]);
    expect(reconcile(callsOn({ id: 'a', node: null }), live({ pbx1: [], pbx2: [] })).map((v) => v.kind)).toEqual(['lost']);
  });
});
