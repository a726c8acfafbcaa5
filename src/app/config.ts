import { z } from 'zod';
import { LOST_CALL_BILLING_RULES, type LostCallBillingRule } from '../domain/call/events.ts';

/**
 * Everything an operator can set, from the environment. Nothing set means the embedded sandbox:
 * PGlite in DATA_DIR and the ARI simulator in-process.
 */
/** Read by src/app/settings.ts, which checks every setting at start. */
export const schema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  EVENTSTORE_URL: z.string().optional(),
  DEFAULT_MEDIA: z.string().default('sound:hello-world'),
  CALL_RING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  CALL_MAX_DURATION_SECONDS: z.coerce.number().int().min(1).max(14_400).default(3_600),
  DEMO_ACCOUNT_COUNTRY: z.string().length(2).default('PK'),
  DEMO_ACCOUNT_CURRENCY: z.string().length(3).default('PKR'),
  DEMO_ACCOUNT_TIMEZONE: z.string().default('Asia/Karachi'),
  LOST_CALL_BILLING: z.enum(LOST_CALL_BILLING_RULES).default('until_last_seen'),
  READ_YOUR_WRITES_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  CAMPAIGN_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1_000),
  CAMPAIGN_ORPHAN_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  EVENT_STREAM_HEARTBEAT_MS: z.coerce.number().int().min(10).max(300_000).default(15_000),
  EVENT_STREAM_MAX_CONNECTION_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(900_000),
  METRICS_ENABLED: z.stringbool().default(true),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

export type EngineConfig = {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly eventStoreUrl: string | undefined;
  readonly defaultMedia: string;
  readonly callDefaults: { ringTimeoutSeconds: number; maxDurationSeconds: number };
  readonly demoAccount: { defaultCountry: string; currency: string; timeZone: string };
  /** How answered calls whose end no PBX reported are billed; recorded in each CallLost. */
  readonly lostCallBilling: LostCallBillingRule;
  /** How long a read presenting `Calltrail-Position` waits for the read models at most. */
  readonly readYourWritesWaitMs: number;
  /** How often the campaign dialer looks at every running campaign, and when a claim with no call is placed by another process. */
  readonly campaignDialer: { pollMs: number; orphanAfterMs: number };
  /** GET /api/v1/events/stream: the heartbeat comment's interval, and how long one connection may last before the client reconnects. */
  readonly eventStream: { heartbeatMs: number; maxConnectionMs: number };
  /** GET /metrics and the request, call and store instruments behind it (METRICS_ENABLED). */
  readonly metricsEnabled: boolean;
  readonly logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** The raw environment, for adapters that parse their own settings (ARI nodes). */
  readonly env: NodeJS.ProcessEnv;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  return {
    host: c.HOST,
    port: c.PORT,
    dataDir: c.DATA_DIR,
    databaseUrl: c.DATABASE_URL || undefined,
    eventStoreUrl: c.EVENTSTORE_URL || undefined,
    defaultMedia: c.DEFAULT_MEDIA,
    callDefaults: { ringTimeoutSeconds: c.CALL_RING_TIMEOUT_SECONDS, maxDurationSeconds: c.CALL_MAX_DURATION_SECONDS },
    demoAccount: {
      defaultCountry: c.DEMO_ACCOUNT_COUNTRY.toUpperCase(),
      currency: c.DEMO_ACCOUNT_CURRENCY.toUpperCase(),
      timeZone: c.DEMO_ACCOUNT_TIMEZONE,
    },
    lostCallBilling: c.LOST_CALL_BILLING,
    readYourWritesWaitMs: c.READ_YOUR_WRITES_WAIT_MS,
    campaignDialer: { pollMs: c.CAMPAIGN_POLL_MS, orphanAfterMs: c.CAMPAIGN_ORPHAN_AFTER_MS },
    eventStream: { heartbeatMs: c.EVENT_STREAM_HEARTBEAT_MS, maxConnectionMs: c.EVENT_STREAM_MAX_CONNECTION_MS },
    metricsEnabled: c.METRICS_ENABLED,
    logLevel: c.LOG_LEVEL,
    env,
  };
}
