import type { EventStore } from '../../adapters/eventstore/port.ts';
import type { CallingHoursPolicy } from '../../domain/shared/calling-hours.ts';
import { accountDecider, accountEventSchemas, CURRENT_SCHEMA_VERSION, type AccountCommand, type AccountEvent, type AccountState, type Acting, type Role } from '../../domain/account/index.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import type { GlobalPosition } from '../../domain/shared/messages.ts';
import { accountStream } from '../../domain/shared/streams.ts';
import { CommandHandler } from '../command-handler.ts';
import { zodCodec } from '../zod-codec.ts';
import { generateApiKey, type KeyMode } from './api-key-secrets.ts';

export type Operator = { readonly actor: string; readonly correlationId: string; readonly causationId: string };

export type OpenAccountRequest = { name: string; defaultCountry: string; currency: string; timeZone: string };

export type IssuedKey = { keyId: string; secret: string; prefix: string; position: GlobalPosition | null };

/** Opening accounts and issuing keys: commands and events like everything else. */
export class AccountService {
  private readonly handler: CommandHandler<AccountState, AccountCommand, AccountEvent>;

  constructor(
    store: EventStore,
    private readonly clock: Clock,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.handler = new CommandHandler(store, accountDecider, zodCodec<AccountEvent>(accountEventSchemas, CURRENT_SCHEMA_VERSION));
  }

  async open(operator: Operator, request: OpenAccountRequest): Promise<{ accountId: string; position: GlobalPosition | null }> {
    const accountId = this.newId();
    const now = this.clock.now();
    const result = await this.handler.handle(
      accountStream(accountId),
      { type: 'OpenAccount', data: { accountId, ...request, at: now.toISOString() } },
      { now, tenantId: accountId, ...operator },
    );
    return { accountId, position: result.position };
  }

  /** The secret is returned here once and exists nowhere else: the events hold only its hash. */
  async issueKey(operator: Operator, accountId: string, key: { name: string; mode: KeyMode; scopes: string[]; role?: Role }): Promise<IssuedKey> {
    const { secret, prefix, keyHash } = generateApiKey(key.mode);
    const keyId = this.newId();
    const now = this.clock.now();
    const result = await this.handler.handle(
      accountStream(accountId),
      {
        type: 'IssueApiKey',
        data: { accountId, keyId, name: key.name, prefix, keyHash, mode: key.mode, scopes: key.scopes, ...(key.role ? { role: key.role } : {}), at: now.toISOString() },
      },
      { now, tenantId: accountId, ...operator },
    );
    return { keyId, secret, prefix, position: result.position };
  }

  async revokeKey(operator: Operator, accountId: string, keyId: string): Promise<GlobalPosition | null> {
    const now = this.clock.now();
    const result = await this.handler.handle(
      accountStream(accountId),
      { type: 'RevokeApiKey', data: { accountId, keyId, at: now.toISOString() } },
      { now, tenantId: accountId, ...operator },
    );
    return result.position;
  }

  async changeSettings(
    operator: Operator,
    accountId: string,
    settings: { name?: string; defaultCountry?: string; timeZone?: string },
  ): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'ChangeAccountSettings', data: { accountId, ...settings, at } }));
  }

  async changeCallDefaults(operator: Operator, accountId: string, maxCallDurationSeconds: number | null): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'ChangeCallDefaults', data: { accountId, maxCallDurationSeconds, at } }));
  }

  async changeCallingHours(operator: Operator, accountId: string, callingHours: CallingHoursPolicy | null): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'ChangeCallingHours', data: { accountId, callingHours, at } }));
  }

  async changePlan(
    operator: Operator,
    accountId: string,
    plan: { plan: string; generalPerMinute: number | null; callsPerMinute: number | null },
  ): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'ChangeAccountPlan', data: { accountId, ...plan, at } }));
  }

  /** `passwordHash` comes from PasswordHasher: the clear password never gets this far. */
  async addUser(
    operator: Operator,
    accountId: string,
    user: { email: string; name: string; role: Role; passwordHash: string; by: Acting },
  ): Promise<{ userId: string; position: GlobalPosition | null }> {
    const userId = this.newId();
    const position = await this.run(operator, accountId, (at) => ({ type: 'AddUser', data: { accountId, userId, ...user, at } }));
    return { userId, position };
  }

  async changeUserRole(operator: Operator, accountId: string, userId: string, role: Role, by: Acting): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'ChangeUserRole', data: { accountId, userId, role, by, at } }));
  }

  async changeUserPassword(operator: Operator, accountId: string, userId: string, passwordHash: string): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'ChangeUserPassword', data: { accountId, userId, passwordHash, at } }));
  }

  async removeUser(operator: Operator, accountId: string, userId: string, by: Acting): Promise<GlobalPosition | null> {
    return this.run(operator, accountId, (at) => ({ type: 'RemoveUser', data: { accountId, userId, by, at } }));
  }

  private async run(operator: Operator, accountId: string, command: (at: string) => AccountCommand): Promise<GlobalPosition | null> {
    const now = this.clock.now();
    const result = await this.handler.handle(accountStream(accountId), command(now.toISOString()), { now, tenantId: accountId, ...operator });
    return result.position;
  }
}
