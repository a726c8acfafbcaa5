import { describe, expect, it } from 'vitest';
import { dncListDecider, type DncCommand, type DncEvent } from '../../../src/domain/dnc/index.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';

const at = '2026-11-23T10:00:00.000Z';
const later = '2026-11-24T10:00:00.000Z';
const IMPORT = '00000000-0000-4000-8000-000000000800';
const CALL = '00000000-0000-4000-8000-000000000900';
const A = '+923001234567';
const B = '+923011234567';
const C = '+923021234567';

const add = (phone: string, reason: string | null = 'asked', when = at): DncCommand => ({
  type: 'AddDncEntry',
  data: { phone, scope: 'tenant', reason, source: 'api', callId: null, at: when },
});
const remove = (phone: string, reason: string | null = null): DncCommand => ({ type: 'RemoveDncEntry', data: { phone, scope: 'tenant', reason, at: later } });
const importRows = (...phones: string[]): DncCommand => ({
  type: 'ImportDncEntries',
  data: { importId: IMPORT, scope: 'operator', rows: phones.map((phone) => ({ phone, reason: null })), at },
});

/** given commands (folded through decide + evolve), when a command, then events or an error code. */
function given(...history: DncCommand[]) {
  let state = dncListDecider.initialState();
  for (const command of history) for (const event of dncListDecider.decide(command, state)) state = dncListDecider.evolve(state, event);
  return {
    when(command: DncCommand): { events: DncEvent[] } | { error: string; details: Record<string, unknown> } {
      try {
        return { events: dncListDecider.decide(command, state) };
      } catch (error) {
        if (error instanceof DomainError) return { error: error.code, details: error.details };
        throw error;
      }
    },
  };
}

describe('the do-not-call list decider', () => {
  it('given nothing, when a number is added, then DncEntryAdded with its reason and source', () => {
    expect(given().when(add(A))).toEqual({
      events: [{ type: 'DncEntryAdded', data: { phone: A, scope: 'tenant', reason: 'asked', source: 'api', callId: null, addedAt: at } }],
    });
  });

  it('given a listed number, when it is added again (even with another reason), then nothing: the first entry stands', () => {
    expect(given(add(A)).when(add(A, 'again', later))).toEqual({ events: [] });
  });

  it('given a keypress opt-out, then the entry names the call', () => {
    const optOut: DncCommand = { type: 'AddDncEntry', data: { phone: A, scope: 'tenant', reason: null, source: 'keypress', callId: CALL, at } };
    expect(given().when(optOut)).toMatchObject({ events: [{ data: { source: 'keypress', callId: CALL } }] });
  });

  it('given a call\'s keypress opt-out, later removed, when the same opt-out is delivered again, then nothing: one opt-out per call', () => {
    const optOut: DncCommand = { type: 'AddDncEntry', data: { phone: A, scope: 'tenant', reason: null, source: 'keypress', callId: CALL, at } };
    expect(given(optOut, remove(A)).when(optOut)).toEqual({ events: [] });
    // Another call's opt-out, or a person listing it again, still lists it.
    const another: DncCommand = { type: 'AddDncEntry', data: { ...optOut.data, callId: IMPORT } };
    expect(given(optOut, remove(A)).when(another)).toMatchObject({ events: [{ data: { callId: IMPORT } }] });
    expect(given(optOut, remove(A)).when(add(A))).toMatchObject({ events: [{ type: 'DncEntryAdded' }] });
  });

  it('given a listed number, when it is removed, then DncEntryRemoved; and then it can be added again', () => {
    expect(given(add(A)).when(remove(A, 'consented'))).toEqual({
      events: [{ type: 'DncEntryRemoved', data: { phone: A, scope: 'tenant', reason: 'consented', removedAt: later } }],
    });
    expect(given(add(A), remove(A)).when(add(A))).toMatchObject({ events: [{ type: 'DncEntryAdded' }] });
  });

  it('given nothing (or a number removed already), when it is removed, then 404 DNC_ENTRY_NOT_FOUND', () => {
    expect(given().when(remove(A))).toEqual({ error: 'DNC_ENTRY_NOT_FOUND', details: { phone: A } });
    expect(given(add(A), remove(A)).when(remove(A))).toMatchObject({ error: 'DNC_ENTRY_NOT_FOUND' });
  });

  it('given some listed numbers, when a chunk is imported, then one event holding only the new numbers, once each', () => {
    expect(given(add(B)).when(importRows(A, B, C, A))).toEqual({
      events: [{ type: 'DncEntriesImported', data: { importId: IMPORT, scope: 'operator', entries: [{ phone: A, reason: null }, { phone: C, reason: null }], importedAt: at } }],
    });
  });

  it('given every number listed, when a chunk is imported, then nothing', () => {
    expect(given(importRows(A, B)).when(importRows(B, A))).toEqual({ events: [] });
  });

  it('refuses to produce an event with a number that is not E.164', () => {
    expect(given().when(add('03001234567'))).toMatchObject({ error: 'VALIDATION_ERROR' });
  });

  it('evolve skips event types it does not know', () => {
    const state = dncListDecider.initialState();
    expect(dncListDecider.evolve(state, { type: 'SomethingNew', data: {} } as unknown as DncEvent).listed.size).toBe(0);
  });
});
