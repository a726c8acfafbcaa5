import { z } from 'zod';
import { ConfigError } from './config.ts';

/**
 * The front door's settings, read from the same environment as the rest of EngineConfig.
 * Without JWT_SECRET a random secret is made per process (tokens then die with it); the sandbox
 * keeps one in its data folder instead (src/app/sandbox-secrets.ts).
 */
/** Read by src/app/settings.ts, which checks every setting at start. */
export const schema = z.object({
  JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(365 * 86_400).default(30 * 86_400),
  OPERATOR_API_KEY_HASH: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'OPERATOR_API_KEY_HASH must be the hex sha-256 of the operator key')
    .transform((hash) => hash.toLowerCase())
    .optional(),
  REDIS_URL: z.string().optional(),
  RATE_LIMIT_GENERAL_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(100),
  RATE_LIMIT_CALLS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(10),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  IDEMPOTENCY_RETENTION_HOURS: z.coerce.number().int().min(24).max(24 * 30).default(24),
  /** log2 of scrypt's N; tests lower it to keep user creation quick. */
  PASSWORD_SCRYPT_LOG2N: z.coerce.number().int().min(10).max(20).default(15),
});

export type FrontDoorSettings = {
  readonly jwtSecret: string | null;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly operatorKeyHash: string | null;
  readonly redisUrl: string | null;
  readonly generalPerMinute: number;
  readonly callsPerMinute: number;
  readonly loginMaxFailures: number;
  readonly idempotencyRetentionHours: number;
  readonly scryptLog2N: number;
};

export function frontDoorSettings(env: NodeJS.ProcessEnv): FrontDoorSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    jwtSecret: c.JWT_SECRET ?? null,
    accessTokenTtlSeconds: c.JWT_TTL_SECONDS,
    refreshTokenTtlSeconds: c.REFRESH_TOKEN_TTL_SECONDS,
    operatorKeyHash: c.OPERATOR_API_KEY_HASH ?? null,
    redisUrl: c.REDIS_URL || null,
    generalPerMinute: c.RATE_LIMIT_GENERAL_PER_MINUTE,
    callsPerMinute: c.RATE_LIMIT_CALLS_PER_MINUTE,
    loginMaxFailures: c.LOGIN_MAX_FAILURES,
    idempotencyRetentionHours: c.IDEMPOTENCY_RETENTION_HOURS,
    scryptLog2N: c.PASSWORD_SCRYPT_LOG2N,
  };
}
