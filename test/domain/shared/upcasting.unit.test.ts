import { describe, expect, it } from 'vitest';
import { UpcasterRegistry } from '../../../src/domain/shared/upcasting.ts';

describe('UpcasterRegistry', () => {
  /** A hypothetical v2 of CallCompleted: the single `cause` became `{ q850, text }`; v3 adds `carrier`. */
  function registry() {
    return new UpcasterRegistry({ CallCompleted: 3 })
      .register('CallCompleted', 1, ({ cause, causeText, ...rest }) => ({ ...rest, cause: { q850: cause, text: causeText } }))
      .register('CallCompleted', 2, (data) => ({ ...data, carrier: null }));
  }

  const v1 = { callId: 'c1', cause: 16, causeText: 'Normal call clearing', billableMs: 1000 };

  it('given a v1 event stored before v2 shipped, when read, then every step lifts it to the current version', () => {
    expect(registry().upcast('CallCompleted', 1, v1)).toEqual({
      schemaVersion: 3,
      data: { callId: 'c1', cause: { q850: 16, text: 'Normal call clearing' }, billableMs: 1000, carrier: null },
    });
  });

  it('starts from the stored version, and leaves current events alone', () => {
    const v2 = { callId: 'c1', cause: { q850: 17, text: 'User busy' } };
    expect(registry().upcast('CallCompleted', 2, v2).data).toEqual({ ...v2, carrier: null });
    const v3 = { ...v2, carrier: 'acme' };
    expect(registry().upcast('CallCompleted', 3, v3)).toEqual({ schemaVersion: 3, data: v3 });
  });

  it('passes unknown types through untouched, whatever their version', () => {
    const data = { anything: true };
    expect(registry().upcast('SomethingElse', 4, data)).toEqual({ schemaVersion: 4, data });
  });

  it('upcastEvent updates data and metadata.schemaVersion on a stored event', () => {
    const stored = { type: 'CallCompleted', data: v1, metadata: { schemaVersion: 1, eventId: 'e1' } };
    const lifted = registry().upcastEvent(stored);
    expect(lifted.metadata).toEqual({ schemaVersion: 3, eventId: 'e1' });
    expect(lifted.data).toMatchObject({ carrier: null });
    expect(stored.data).toBe(v1); // the stored record itself is not mutated
  });

  it('refuses events newer than this build, gaps in the chain, and duplicate steps', () => {
    expect(() => registry().upcast('CallCompleted', 4, {})).toThrow(/newer than this build/);
    const gap = new UpcasterRegistry({ CallRinging: 3 }).register('CallRinging', 2, (d) => d);
    expect(() => gap.upcast('CallRinging', 1, {})).toThrow(/No upcaster for CallRinging from v1/);
    expect(() => registry().register('CallCompleted', 1, (d) => d)).toThrow(/already has an upcaster/);
    expect(() => new UpcasterRegistry().register('X', 0, (d) => d)).toThrow(/start at 1/);
  });

  it('without declared versions, a type is current one past its highest step', () => {
    const implicit = new UpcasterRegistry().register('DtmfReceived', 1, (d) => ({ ...d, duration: 0 }));
    expect(implicit.currentVersion('DtmfReceived')).toBe(2);
    expect(implicit.upcast('DtmfReceived', 1, { digit: '5' })).toEqual({ schemaVersion: 2, data: { digit: '5', duration: 0 } });
  });
});
