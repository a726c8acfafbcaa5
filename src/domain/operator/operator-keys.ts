import { parsedEvent } from '../shared/checked-event.ts';
import { z } from 'zod';
import { DomainError } from '../shared/errors.ts';

/**
 * The operator's own keys (`ct_op_…`), kept on one stream so an engine pointed at a real PBX accepts
 * a key made by `calltrail init` without anyone hand-copying a hash into its environment. Only the
 * key's sha-256 and a display prefix are stored. One key is in force at a time: issuing another
 * needs `rotate`, which revokes the current one in the same append, so a slip can never leave an
 * old key working beside the new one.
 */

const instant = z.iso.datetime({ offset: true });

export const OperatorKeyIssued = z.object({
  keyId: z.string().min(1),
  /** What people see to tell keys apart, e.g. 'ct_op_ab12cd'. Not enough to authenticate. */
  prefix: z.string().regex(/^ct_op_[A-Za-z0-9]{4,16}$/),
  /** Lowercase hex sha-256 of the whole secret. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  issuedAt: instant,
});

export const OperatorKeyRevoked = z.object({
  keyId: z.string().min(1),
  /** The key that replaced it, when revoked by a rotation. */
  replacedBy: z.string().min(1).nullable(),
  revokedAt: instant,
});

export const operatorKeyEventSchemas = { OperatorKeyIssued, OperatorKeyRevoked } as const;
export type OperatorKeyEventType = keyof typeof operatorKeyEventSchemas;
export type OperatorKeyEvent = {
  [K in OperatorKeyEventType]: { readonly type: K; readonly data: z.infer<(typeof operatorKeyEventSchemas)[K]> };
}[OperatorKeyEventType];
export const OPERATOR_KEY_SCHEMA_VERSION: Record<OperatorKeyEventType, number> = { OperatorKeyIssued: 1, OperatorKeyRevoked: 1 };

export type IssueOperatorKey = {
  readonly type: 'IssueOperatorKey';
  readonly data: { keyId: string; prefix: string; keyHash: string; rotate: boolean; at: string };
};
export type OperatorKeyCommand = IssueOperatorKey;

export type OperatorKey = { readonly keyId: string; readonly prefix: string; readonly keyHash: string; readonly issuedAt: string };

/** Every key ever issued is remembered by id, so a retried command is recognised and does nothing. */
export type OperatorKeysState = { readonly active: readonly OperatorKey[]; readonly issuedIds: ReadonlySet<string> };

export const initialOperatorKeysState = (): OperatorKeysState => ({ active: [], issuedIds: new Set() });

export function evolveOperatorKeys(state: OperatorKeysState, event: { readonly type: string; readonly data: unknown }): OperatorKeysState {
  if (event.type === 'OperatorKeyIssued') {
    const data = event.data as z.infer<typeof OperatorKeyIssued>;
    if (state.issuedIds.has(data.keyId)) return state;
    const key: OperatorKey = { keyId: data.keyId, prefix: data.prefix, keyHash: data.keyHash, issuedAt: data.issuedAt };
    return { active: [...state.active, key], issuedIds: new Set([...state.issuedIds, data.keyId]) };
  }
  if (event.type === 'OperatorKeyRevoked') {
    const data = event.data as z.infer<typeof OperatorKeyRevoked>;
    return { ...state, active: state.active.filter((key) => key.keyId !== data.keyId) };
  }
  return state;
}

function emit<K extends OperatorKeyEventType>(type: K, data: z.input<(typeof operatorKeyEventSchemas)[K]>): OperatorKeyEvent {
  return parsedEvent(operatorKeyEventSchemas[type], type, data) as OperatorKeyEvent;
}

/**
 * | command \ state   | no key in force      | a key in force                                                  |
 * |-------------------|----------------------|-----------------------------------------------------------------|
 * | IssueOperatorKey  | OperatorKeyIssued    | rotate: OperatorKeyRevoked for each, then OperatorKeyIssued; else OPERATOR_KEY_EXISTS |
 * A keyId already issued answers [] whatever the state: the command was applied before.
 */
export function decideOperatorKeys(command: OperatorKeyCommand, state: OperatorKeysState): OperatorKeyEvent[] {
  switch (command.type) {
    case 'IssueOperatorKey': {
      const { keyId, prefix, keyHash, rotate, at } = command.data;
      if (state.issuedIds.has(keyId)) return [];
      if (state.active.length > 0 && !rotate) {
        throw new DomainError('OPERATOR_KEY_EXISTS', 'An operator key is already in force; rotate it to issue a new one.', {
          key_ids: state.active.map((key) => key.keyId),
          prefixes: state.active.map((key) => key.prefix),
        });
      }
      const revoked = state.active.map((key) => emit('OperatorKeyRevoked', { keyId: key.keyId, replacedBy: keyId, revokedAt: at }));
      return [...revoked, emit('OperatorKeyIssued', { keyId, prefix, keyHash, issuedAt: at })];
    }
    default: {
      const unhandled: never = command.type;
      throw new Error(`Unknown operator key command: ${JSON.stringify(unhandled)}`);
    }
  }
}

export const operatorKeysDecider = {
  initialState: initialOperatorKeysState,
  evolve: evolveOperatorKeys,
  decide: decideOperatorKeys,
};
