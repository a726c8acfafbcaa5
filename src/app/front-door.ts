import { randomBytes } from 'node:crypto';
import type { Database } from '../adapters/db/database.ts';
import { RefreshTokenStore } from '../adapters/auth/refresh-token-store.ts';
import { SqlIdempotencyStore } from '../adapters/idempotency/sql-idempotency-store.ts';
import { FlexibleRateLimits } from '../adapters/rate-limit/flexible-rate-limits.ts';
import { AccessTokens } from '../commands/accounts/access-tokens.ts';
import type { AccountService, Operator } from '../commands/accounts/account-service.ts';
import { checkPassword, openTenant } from '../commands/accounts/open-tenant.ts';
import { DEFAULT_SCRYPT_COST, PasswordHasher } from '../commands/accounts/passwords.ts';
import { Sessions } from '../commands/accounts/sessions.ts';
import type { Acting } from '../domain/account/index.ts';
import type { Clock } from '../domain/shared/clock.ts';
import { NotFoundError } from '../domain/shared/errors.ts';
import type { GlobalPosition } from '../domain/shared/messages.ts';
import type { Principal, RequestContext } from '../http/dependencies.ts';
import type { AccountsPort, ApiKeysPort, FrontDoorDependencies, UsersPort } from '../http/front-door.ts';
import { AccountDirectory } from '../projections/accounts/directory.ts';
import { frontDoorAuthenticator } from './authenticate.ts';
import type { FrontDoorSettings } from './front-door-config.ts';

/**
 * The front door, assembled: who is calling (keys, logins, the operator), sessions, key/user/account
 * management, rate-limit counters and idempotency records. The engine builds one and hands
 * `authenticate` and `http` to the HTTP app.
 */

type Wait = (position: GlobalPosition | null) => Promise<void>;

const PURGE_EVERY_MS = 60 * 60 * 1000;

const operatorOf = (ctx: RequestContext): Operator => ({ actor: ctx.principal.actor, correlationId: ctx.correlationId, causationId: ctx.requestId });
const actingOf = (principal: Principal): Acting => (principal.kind === 'operator' ? 'operator' : (principal.role ?? 'owner'));

export class FrontDoor {
  readonly directory: AccountDirectory;
  readonly authenticate: (token: string) => Promise<Principal | null>;
  readonly http: FrontDoorDependencies;
  readonly rateLimits: FlexibleRateLimits;
  readonly idempotency: SqlIdempotencyStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly passwords: PasswordHasher;
  readonly accessTokens: AccessTokens;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(
    database: Database,
    clock: Clock,
    private readonly accounts: AccountService,
    private readonly wait: Wait,
    readonly settings: FrontDoorSettings,
    isOperatorKey: (token: string) => Promise<boolean>,
  ) {
    this.directory = new AccountDirectory(database.db);
    this.passwords = new PasswordHasher({ ...DEFAULT_SCRYPT_COST, log2N: settings.scryptLog2N });
    // No configured secret: one per process. Tokens then last only as long as the process.
    this.accessTokens = new AccessTokens(settings.jwtSecret ?? randomBytes(48).toString('base64url'), clock, settings.accessTokenTtlSeconds);
    this.refreshTokens = new RefreshTokenStore(database.db, clock, settings.refreshTokenTtlSeconds * 1000);
    this.rateLimits = settings.redisUrl ? FlexibleRateLimits.redis(settings.redisUrl) : FlexibleRateLimits.postgres(database);
    this.idempotency = new SqlIdempotencyStore(database.db, { clock, retentionMs: settings.idempotencyRetentionHours * 3_600_000 });
    this.authenticate = frontDoorAuthenticator({ directory: this.directory, accessTokens: this.accessTokens, isOperatorKey });
    const sessions = new Sessions(this.directory, this.passwords, this.accessTokens, this.refreshTokens, this.rateLimits, settings.loginMaxFailures);
    this.http = {
      sessions,
      apiKeys: this.apiKeysPort(),
      users: this.usersPort(),
      accounts: this.accountsPort(),
      rateLimits: { port: this.rateLimits, generalPerMinute: settings.generalPerMinute, callsPerMinute: settings.callsPerMinute },
      idempotency: this.idempotency,
    };
  }

  async start(): Promise<void> {
    await this.idempotency.migrate();
    await this.refreshTokens.migrate();
    this.purgeTimer = setInterval(() => {
      void this.idempotency.purgeExpired().catch(() => undefined);
      void this.refreshTokens.purgeExpired().catch(() => undefined);
    }, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.rateLimits.close();
  }

  private apiKeysPort(): ApiKeysPort {
    return {
      issue: async (ctx, key) => {
        const issued = await this.accounts.issueKey(operatorOf(ctx), ctx.principal.tenantId, key);
        await this.wait(issued.position);
        const summary = await this.directory.key(ctx.principal.tenantId, issued.keyId);
        if (!summary) throw new Error(`key ${issued.keyId} missing from the read model after issue`);
        return { key: summary, secret: issued.secret };
      },
      list: (tenantId) => this.directory.keys(tenantId),
      get: (tenantId, keyId) => this.directory.key(tenantId, keyId),
      revoke: async (ctx, keyId) => {
        const tenantId = ctx.principal.tenantId;
        if (!(await this.directory.key(tenantId, keyId))) throw new NotFoundError('API_KEY_NOT_FOUND', 'API key not found');
        await this.wait(await this.accounts.revokeKey(operatorOf(ctx), tenantId, keyId));
        return (await this.directory.key(tenantId, keyId))!;
      },
    };
  }

  private usersPort(): UsersPort {
    const existing = async (tenantId: string, userId: string) => {
      const user = await this.directory.activeUser(tenantId, userId);
      if (!user) throw new NotFoundError('USER_NOT_FOUND', 'User not found');
      return user;
    };
    const summary = async (tenantId: string, userId: string) => {
      const { limits: _limits, ...user } = await existing(tenantId, userId);
      return user;
    };
    return {
      add: async (ctx, user) => {
        checkPassword(user.password);
        const passwordHash = await this.passwords.hash(user.password);
        const added = await this.accounts.addUser(operatorOf(ctx), ctx.principal.tenantId, {
          email: user.email,
          name: user.name,
          role: user.role,
          passwordHash,
          by: actingOf(ctx.principal),
        });
        await this.wait(added.position);
        return summary(ctx.principal.tenantId, added.userId);
      },
      list: (tenantId) => this.directory.users(tenantId),
      get: async (tenantId, userId) => {
        const user = await this.directory.activeUser(tenantId, userId);
        if (!user) return null;
        const { limits: _limits, ...rest } = user;
        return rest;
      },
      update: async (ctx, userId, change) => {
        const tenantId = ctx.principal.tenantId;
        await existing(tenantId, userId);
        if (change.password !== undefined) checkPassword(change.password);
        if (change.role !== undefined) {
          await this.wait(await this.accounts.changeUserRole(operatorOf(ctx), tenantId, userId, change.role, actingOf(ctx.principal)));
        }
        if (change.password !== undefined) {
          const passwordHash = await this.passwords.hash(change.password);
          await this.wait(await this.accounts.changeUserPassword(operatorOf(ctx), tenantId, userId, passwordHash));
        }
        return summary(tenantId, userId);
      },
      remove: async (ctx, userId) => {
        const tenantId = ctx.principal.tenantId;
        await existing(tenantId, userId);
        await this.wait(await this.accounts.removeUser(operatorOf(ctx), tenantId, userId, actingOf(ctx.principal)));
      },
    };
  }

  private accountsPort(): AccountsPort {
    const found = async (accountId: string) => {
      const account = await this.directory.account(accountId);
      if (!account) throw new NotFoundError('ACCOUNT_NOT_FOUND', 'Account not found');
      return account;
    };
    return {
      open: async (ctx, account) => {
        const opened = await openTenant(this.accounts, this.passwords, operatorOf(ctx), account);
        await this.wait(opened.position);
        const owner = opened.ownerId === null ? null : await this.directory.activeUser(opened.accountId, opened.ownerId);
        const { limits: _limits, ...ownerSummary } = owner ?? { limits: null };
        return {
          account: await found(opened.accountId),
          key: (await this.directory.key(opened.accountId, opened.keyId))!,
          secret: opened.secret,
          owner: owner ? (ownerSummary as Omit<typeof owner, 'limits'>) : null,
        };
      },
      list: () => this.directory.accounts(),
      get: (accountId) => this.directory.account(accountId),
      update: async (ctx, accountId, change) => {
        await found(accountId);
        const operator = operatorOf(ctx);
        const { plan, maxCallDurationSeconds, callingHours, ...settings } = change;
        if (Object.keys(settings).length > 0) await this.wait(await this.accounts.changeSettings(operator, accountId, settings));
        if (maxCallDurationSeconds !== undefined) {
          await this.wait(await this.accounts.changeCallDefaults(operator, accountId, maxCallDurationSeconds));
        }
        if (callingHours !== undefined) await this.wait(await this.accounts.changeCallingHours(operator, accountId, callingHours));
        if (plan) await this.wait(await this.accounts.changePlan(operator, accountId, plan));
        return found(accountId);
      },
    };
  }
}
