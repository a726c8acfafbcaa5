import { describe, expect, it } from 'vitest';
import { accountDecider, type AccountEvent } from '../../../src/domain/account/index.ts';
import { ValidationError } from '../../../src/domain/shared/errors.ts';

const opened: AccountEvent = {
  type: 'AccountOpened',
  data: { accountId: 'acc-1', name: 'Acme', defaultCountry: 'PK', currency: 'PKR', timeZone: 'Asia/Karachi', openedAt: '2026-01-01T00:00:00.000Z' },
};
const given = (...events: AccountEvent[]) => events.reduce(accountDecider.evolve, accountDecider.initialState());
const change = (maxCallDurationSeconds: number | null) =>
  ({ type: 'ChangeCallDefaults', data: { accountId: 'acc-1', maxCallDurationSeconds, at: '2026-01-02T00:00:00.000Z' } }) as const;

describe('ChangeCallDefaults', () => {
  it('records the account’s default ceiling for calls', () => {
    expect(accountDecider.decide(change(120), given(opened))).toEqual([
      { type: 'CallDefaultsChanged', data: { accountId: 'acc-1', maxCallDurationSeconds: 120, changedAt: '2026-01-02T00:00:00.000Z' } },
    ]);
  });

  it('is a no-op when the value is already in force, including null on a new account', () => {
    const [set] = accountDecider.decide(change(120), given(opened));
    expect(accountDecider.decide(change(120), given(opened, set!))).toEqual([]);
    expect(accountDecider.decide(change(null), given(opened))).toEqual([]);
    expect(accountDecider.decide(change(null), given(opened, set!))).toHaveLength(1);
  });

  it('refuses a ceiling outside 1..14400 seconds', () => {
    for (const bad of [0, -5, 14_401, 1.5]) {
      expect(() => accountDecider.decide(change(bad), given(opened))).toThrow(ValidationError);
    }
  });
});

describe('ChangeCallingHours', () => {
  const hours = { start: '09:00', end: '18:00', days: ['mon', 'tue'] as ('mon' | 'tue')[], enforce: false };
  const changeHours = (callingHours: unknown) =>
    ({ type: 'ChangeCallingHours', data: { accountId: 'acc-1', callingHours, at: '2026-01-02T00:00:00.000Z' } }) as never;

  it('records the hours, is a no-op when they are in force, and lifts them with null', () => {
    const [set] = accountDecider.decide(changeHours(hours), given(opened));
    expect(set).toEqual({ type: 'CallingHoursChanged', data: { accountId: 'acc-1', callingHours: hours, changedAt: '2026-01-02T00:00:00.000Z' } });
    expect(accountDecider.decide(changeHours(hours), given(opened, set!))).toEqual([]);
    expect(accountDecider.decide(changeHours(null), given(opened))).toEqual([]);
    expect(accountDecider.decide(changeHours(null), given(opened, set!))).toHaveLength(1);
  });

  it('refuses malformed hours', () => {
    for (const bad of [{ ...hours, start: '9am' }, { ...hours, end: '09:00' }, { ...hours, days: [] }, { ...hours, end: '24:00' }]) {
      expect(() => accountDecider.decide(changeHours(bad), given(opened))).toThrow(ValidationError);
    }
  });
});
