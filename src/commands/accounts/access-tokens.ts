import { jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../domain/shared/clock.ts';

/**
 * Access tokens: JWTs signed with HS256 (jose) under a secret only this deployment knows. Short
 * lived; the claims name the tenant, the role and the user. Verification pins the algorithm, so a
 * token with `alg: none` or any other algorithm is refused, as is one signed with another key,
 * one for another issuer or audience, and an expired one.
 */

export const ISSUER = 'calltrail';
export const AUDIENCE = 'calltrail-api';
const ALGORITHM = 'HS256';
/** Allowance for clocks of several API processes drifting apart. */
const CLOCK_TOLERANCE_SECONDS = 5;

export type AccessClaims = { userId: string; tenantId: string; role: 'owner' | 'admin' | 'developer' };

const ROLES = new Set(['owner', 'admin', 'developer']);

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly clock: Clock,
    readonly ttlSeconds: number,
  ) {
    if (secret.length < 32) throw new Error('JWT secret must be at least 32 characters');
    this.key = new TextEncoder().encode(secret);
  }

  async sign(claims: AccessClaims): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ tenant: claims.tenantId, role: claims.role })
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.ttlSeconds)
      .setJti(crypto.randomUUID())
      .sign(this.key);
  }

  /** The claims of a valid token; null for anything else (never an exception). */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'tenant', 'role'],
      });
      const { sub, tenant, role } = payload;
      if (typeof sub !== 'string' || typeof tenant !== 'string' || typeof role !== 'string' || !ROLES.has(role)) return null;
      return { userId: sub, tenantId: tenant, role: role as AccessClaims['role'] };
    } catch {
      return null;
    }
  }
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(token);
}
