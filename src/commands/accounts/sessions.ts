import type { Role } from '../../domain/account/index.ts';
import type { AccountDirectory, UserCredentials, UserSummary } from '../../projections/accounts/directory.ts';
import type { AccessTokens } from './access-tokens.ts';
import type { PasswordHasher } from './passwords.ts';

/**
 * Login and refresh. A login checks the password of every active user with that email (an email
 * may belong to users of several tenants); an unknown email spends the same scrypt work on a decoy,
 * so neither the answer nor its timing says whether the email exists. Failures are counted per
 * email and client address; past the limit, further attempts are refused before any password is
 * checked until the window passes.
 */

export type LoginThrottle = {
  peek(bucket: string, key: string, limit: number): Promise<{ allowed: boolean; resetInMs: number }>;
  consume(bucket: string, key: string, limit: number): Promise<{ allowed: boolean; resetInMs: number }>;
  clear(bucket: string, key: string): Promise<void>;
};

export type RefreshTokens = {
  readonly ttlMs: number;
  issue(subject: { accountId: string; userId: string }): Promise<string>;
  rotate(token: string): Promise<{ subject: { accountId: string; userId: string }; token: string } | null>;
  revoke(token: string): Promise<void>;
};

export type TokenPair = { accessToken: string; expiresIn: number; refreshToken: string; refreshExpiresIn: number; user: UserSummary };

export type LoginOutcome =
  | { ok: true; tokens: TokenPair }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'ambiguous'; accountIds: string[] };

const LOGIN_BUCKET = 'login';

export class Sessions {
  constructor(
    private readonly directory: Pick<AccountDirectory, 'usersByEmail' | 'activeUser'>,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly throttle: LoginThrottle,
    /** Failed logins allowed per email and address in the throttle's window. */
    private readonly maxFailures: number,
  ) {}

  async login(input: { email: string; password: string; accountId: string | null; clientIp: string }): Promise<LoginOutcome> {
    const email = input.email.trim().toLowerCase();
    const throttleKey = `${email}|${input.clientIp}`;
    const before = await this.throttle.peek(LOGIN_BUCKET, throttleKey, this.maxFailures);
    if (!before.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil(before.resetInMs / 1000)) };

    const candidates = (await this.directory.usersByEmail(email)).filter(
      (user) => input.accountId === null || user.accountId === input.accountId,
    );
    const matching: UserCredentials[] = [];
    if (candidates.length === 0) await this.passwords.verifyDecoy(input.password);
    for (const user of candidates) if (await this.passwords.verify(input.password, user.passwordHash)) matching.push(user);

    if (matching.length === 0) {
      const after = await this.throttle.consume(LOGIN_BUCKET, throttleKey, this.maxFailures);
      if (!after.allowed) return { ok: false, reason: 'throttled', retryAfterSeconds: Math.max(1, Math.ceil(after.resetInMs / 1000)) };
      return { ok: false, reason: 'invalid' };
    }
    if (matching.length > 1) return { ok: false, reason: 'ambiguous', accountIds: matching.map((user) => user.accountId).sort() };
    await this.throttle.clear(LOGIN_BUCKET, throttleKey);
    const { passwordHash: _hash, ...user } = matching[0]!;
    return { ok: true, tokens: await this.tokensFor(user, await this.refreshTokens.issue({ accountId: user.accountId, userId: user.userId })) };
  }

  async refresh(refreshToken: string): Promise<TokenPair | null> {
    const rotated = await this.refreshTokens.rotate(refreshToken);
    if (!rotated) return null;
    // A user removed since the login gets no new token.
    const user = await this.directory.activeUser(rotated.subject.accountId, rotated.subject.userId);
    if (!user) {
      await this.refreshTokens.revoke(rotated.token);
      return null;
    }
    const { limits: _limits, ...summary } = user;
    return this.tokensFor(summary, rotated.token);
  }

  async logout(refreshToken: string): Promise<void> {
    await this.refreshTokens.revoke(refreshToken);
  }

  private async tokensFor(user: UserSummary, refreshToken: string): Promise<TokenPair> {
    const accessToken = await this.accessTokens.sign({ userId: user.userId, tenantId: user.accountId, role: user.role as Role });
    return {
      accessToken,
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken,
      refreshExpiresIn: Math.floor(this.refreshTokens.ttlMs / 1000),
      user,
    };
  }
}
