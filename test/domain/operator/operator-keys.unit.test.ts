import { describe, expect, it } from 'vitest';
import {
  decideOperatorKeys,
  evolveOperatorKeys,
  initialOperatorKeysState,
  type OperatorKeyEvent,
  type OperatorKeysState,
} from '../../../src/domain/operator/operator-keys.ts';
import { DomainError } from '../../../src/domain/shared/errors.ts';

const AT = '2026-12-02T10:00:00.000Z';
const hash = (digit: string) => digit.repeat(64);
const issue = (keyId: string, rotate = false) =>
  ({ type: 'IssueOperatorKey', data: { keyId, prefix: `ct_op_${keyId}abc`, keyHash: hash(keyId), rotate, at: AT } }) as const;
const given = (...events: OperatorKeyEvent[]): OperatorKeysState => events.reduce(evolveOperatorKeys, initialOperatorKeysState());
const issued = (keyId: string): OperatorKeyEvent => ({ type: 'OperatorKeyIssued', data: { keyId, prefix: `ct_op_${keyId}abc`, keyHash: hash(keyId), issuedAt: AT } });

describe('operator keys decider', () => {
  it('issues the first key', () => {
    expect(decideOperatorKeys(issue('1'), given())).toEqual([issued('1')]);
  });

  it('refuses a second key without rotate, naming the one in force', () => {
    let thrown: unknown;
    try {
      decideOperatorKeys(issue('2'), given(issued('1')));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe('OPERATOR_KEY_EXISTS');
    expect((thrown as DomainError).details).toEqual({ key_ids: ['1'], prefixes: ['ct_op_1abc'] });
  });

  it('rotates: the key in force is revoked in the same decision as the new one is issued', () => {
    const events = decideOperatorKeys(issue('2', true), given(issued('1')));
    expect(events).toEqual([{ type: 'OperatorKeyRevoked', data: { keyId: '1', replacedBy: '2', revokedAt: AT } }, issued('2')]);
    expect(given(issued('1'), ...events).active.map((key) => key.keyId)).toEqual(['2']);
  });

  it('a retried command (same key id) changes nothing, even after a rotation', () => {
    const state = given(issued('1'), { type: 'OperatorKeyRevoked', data: { keyId: '1', replacedBy: '2', revokedAt: AT } }, issued('2'));
    expect(decideOperatorKeys(issue('2', true), state)).toEqual([]);
    expect(decideOperatorKeys(issue('1', true), state)).toEqual([]);
  });
});
