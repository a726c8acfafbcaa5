import type { EventStore } from '../../adapters/eventstore/port.ts';
import {
  OPERATOR_KEY_SCHEMA_VERSION,
  operatorKeyEventSchemas,
  operatorKeysDecider,
  type OperatorKey,
  type OperatorKeyCommand,
  type OperatorKeyEvent,
  type OperatorKeysState,
} from '../../domain/operator/operator-keys.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { operatorKeysStream } from '../../domain/shared/streams.ts';
import { CommandHandler } from '../command-handler.ts';
import { zodCodec } from '../zod-codec.ts';
import type { Operator } from './account-service.ts';
import { generateOperatorKey, OPERATOR_KEY_PREFIX, operatorKeyMatches } from './api-key-secrets.ts';

/** The operator stream belongs to no tenant; rate plans use the same marker. */
const OPERATOR_TENANT = 'operator';

export type IssuedOperatorKey = { keyId: string; secret: string; prefix: string; revoked: string[]; position: GlobalPosition | null };

/**
 * Issuing the operator key as an event, and checking a presented key against the ones in force.
 * The check reads the (tiny) stream each time rather than a read model, so a key issued or rotated
 * by the CLI works, and a rotated-out one stops, on every API process the moment it is written.
 */
export class OperatorKeys {
  private readonly handler: CommandHandler<OperatorKeysState, OperatorKeyCommand, OperatorKeyEvent>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.handler = new CommandHandler<OperatorKeysState, OperatorKeyCommand, OperatorKeyEvent>(store, operatorKeysDecider, zodCodec<OperatorKeyEvent>(operatorKeyEventSchemas, OPERATOR_KEY_SCHEMA_VERSION));
  }

  /** The secret is returned here once; the event holds only its hash. Throws OPERATOR_KEY_EXISTS unless `rotate`. */
  async issue(operator: Operator, options: { rotate: boolean }): Promise<IssuedOperatorKey> {
    const { secret, prefix, hash } = generateOperatorKey();
    const keyId = this.newId();
    const now = this.clock.now();
    const result = await this.handler.handle(
      operatorKeysStream(),
      { type: 'IssueOperatorKey', data: { keyId, prefix, keyHash: hash, rotate: options.rotate, at: now.toISOString() } },
      { now, tenantId: OPERATOR_TENANT, ...operator },
    );
    const revoked = result.appended.filter((event) => event.type === 'OperatorKeyRevoked').map((event) => (event.data as { keyId: string }).keyId);
    return { keyId, secret, prefix, revoked, position: result.position };
  }

  async active(): Promise<readonly OperatorKey[]> {
    return (await this.handler.load(operatorKeysStream())).state.active;
  }

  async accepts(token: string): Promise<boolean> {
    if (!token.startsWith(OPERATOR_KEY_PREFIX)) return false;
    let found = false;
    // Every key is compared, not just up to the first match, so the timing says nothing either.
    for (const key of await this.active()) if (operatorKeyMatches(token, key.keyHash)) found = true;
    return found;
  }
}
