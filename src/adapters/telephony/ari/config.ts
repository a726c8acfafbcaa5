import { z } from 'zod';
import { placeholderReason } from './placeholder-passwords.ts';

/**
 * Everything the ARI adapter needs to know about the operator's Asterisk estate.
 * Parsed once at start-up; a bad value fails loudly here instead of on the first call.
 */

const nodeSchema = z.object({
  /** Shown in health output and logs. */
  name: z.string().min(1),
  /** Asterisk's HTTP server, e.g. `http://pbx1.internal:8088` (a trailing `/ari` is accepted). */
  url: z.url(),
  username: z.string().min(1),
  password: z.string(),
  /** The Stasis application name; extensions.conf must hand calls to the same name. */
  app: z.string().min(1).default('calltrail'),
});

const trunkSchema = z.object({
  name: z.string().min(1),
  /**
   * Dial string with a placeholder: `{number}` is the E.164 number without its `+`
   * (what most carriers want), `{e164}` keeps the `+`. Example: `PJSIP/{number}@carrier`.
   */
  endpoint: z
    .string()
    .refine((template) => template.includes('{number}') || template.includes('{e164}'), {
      message: 'endpoint must contain {number} or {e164}',
    }),
  /** Presented when the call itself brings no caller id. */
  callerId: z.string().nullable().default(null),
  /** The carrier's originate cap; excess calls queue, they are never dropped. */
  callsPerSecond: z.number().positive().default(5),
  /** E.164 prefixes this trunk serves (`+44`); empty means "everything else". */
  prefixes: z.array(z.string().regex(/^\+\d+$/)).default([]),
});

export const ariConfigSchema = z
  .object({
    nodes: z.array(nodeSchema).min(1),
    trunks: z.array(trunkSchema).min(1),
    /** Where test-mode calls go instead of a carrier (e.g. a local endpoint); test calls fail without it. */
    testTrunk: trunkSchema.optional(),
    /** Used when a request carries no positive ring timeout. */
    ringTimeoutSeconds: z.number().int().positive().default(30),
    /** Ceiling for calls rebuilt after a restart, whose own ceiling the adapter no longer knows. */
    defaultMaxDurationSeconds: z.number().int().positive().default(3600),
    /** How long the watchdog waits for the PBX to confirm its hangup before ending the call itself. */
    watchdogGraceSeconds: z.number().positive().default(30),
    requestTimeoutMs: z.number().int().positive().default(5000),
    /**
     * How often each connected node's channels are listed, to record that every call on it is still
     * up. It bounds how much talk time a call lost in a PBX crash can be billed short by.
     */
    heartbeatIntervalMs: z.number().int().positive().default(5000),
    recordingFormat: z.string().min(1).default('wav'),
    reconnect: z
      .object({
        initialDelayMs: z.number().int().positive().default(500),
        maxDelayMs: z.number().int().positive().default(30_000),
        factor: z.number().min(1).default(2),
      })
      .prefault({}),
    circuitBreaker: z
      .object({
        /** Consecutive failed requests that open a node's breaker. */
        failureThreshold: z.number().int().positive().default(3),
        /** How long an open breaker rejects before letting one trial request through. */
        coolDownMs: z.number().int().positive().default(10_000),
      })
      .prefault({}),
  })
  .refine((config) => new Set(config.nodes.map((n) => n.name)).size === config.nodes.length, {
    message: 'node names must be unique',
  });

export type AriConfigInput = z.input<typeof ariConfigSchema>;
export type AriConfig = z.output<typeof ariConfigSchema>;
export type AriNodeConfig = AriConfig['nodes'][number];
export type TrunkConfig = AriConfig['trunks'][number];

export function parseAriConfig(input: unknown): AriConfig {
  return ariConfigSchema.parse(input);
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the adapter's settings from the environment.
 * Nodes: `ARI_NODES` (JSON array) or the single-node `ARI_URL`/`ARI_USERNAME`/`ARI_PASSWORD`/`ARI_APP`.
 * Trunks: `ARI_TRUNKS` (JSON array) or `ARI_TRUNK_ENDPOINT` (+ `ARI_TRUNK_CALLER_ID`, `ARI_TRUNK_CPS`).
 * Test calls: `ARI_TEST_ENDPOINT`. Tuning: `ARI_RING_TIMEOUT_SECONDS`, `ARI_REQUEST_TIMEOUT_MS`, `ARI_HEARTBEAT_MS`,
 * `ARI_BREAKER_FAILURES`, `ARI_BREAKER_COOLDOWN_MS`, `ARI_RECONNECT_INITIAL_MS`, `ARI_RECONNECT_MAX_MS`.
 * With `NODE_ENV=production`, an example or trivial ARI password is refused (placeholder-passwords.ts).
 */
export function ariConfigFromEnv(env: Env = process.env): AriConfig {
  const nodes = env['ARI_NODES']
    ? parseJson('ARI_NODES', env['ARI_NODES'])
    : [
        {
          name: env['ARI_NODE_NAME'] ?? 'asterisk',
          url: env['ARI_URL'],
          username: env['ARI_USERNAME'],
          password: env['ARI_PASSWORD'] ?? '',
          app: env['ARI_APP'],
        },
      ];
  const trunks = env['ARI_TRUNKS']
    ? parseJson('ARI_TRUNKS', env['ARI_TRUNKS'])
    : [
        {
          name: 'default',
          endpoint: env['ARI_TRUNK_ENDPOINT'],
          callerId: env['ARI_TRUNK_CALLER_ID'] ?? null,
          callsPerSecond: optionalNumber(env['ARI_TRUNK_CPS']),
        },
      ];
  if (env['NODE_ENV'] === 'production') refusePlaceholderPasswords(nodes, env['ARI_NODES'] ? 'ARI_NODES' : 'ARI_PASSWORD');
  const testEndpoint = env['ARI_TEST_ENDPOINT'];
  return parseAriConfig({
    nodes,
    trunks,
    testTrunk: testEndpoint ? { name: 'test', endpoint: testEndpoint } : undefined,
    ringTimeoutSeconds: optionalNumber(env['ARI_RING_TIMEOUT_SECONDS']),
    requestTimeoutMs: optionalNumber(env['ARI_REQUEST_TIMEOUT_MS']),
    heartbeatIntervalMs: optionalNumber(env['ARI_HEARTBEAT_MS']),
    reconnect: {
      initialDelayMs: optionalNumber(env['ARI_RECONNECT_INITIAL_MS']),
      maxDelayMs: optionalNumber(env['ARI_RECONNECT_MAX_MS']),
    },
    circuitBreaker: {
      failureThreshold: optionalNumber(env['ARI_BREAKER_FAILURES']),
      coolDownMs: optionalNumber(env['ARI_BREAKER_COOLDOWN_MS']),
    },
  });
}

/** Thrown when a production start would log in to Asterisk with an example or trivial password. */
export class PlaceholderPasswordError extends Error {
  constructor(readonly setting: string, reason: string) {
    super(`${setting}: refusing to start in production with this ARI password (${reason}); set a long random password in ari.conf and here`);
    this.name = 'PlaceholderPasswordError';
  }
}

function refusePlaceholderPasswords(nodes: unknown, setting: 'ARI_PASSWORD' | 'ARI_NODES'): void {
  if (!Array.isArray(nodes)) return; // the schema reports the shape
  nodes.forEach((node: { name?: unknown; password?: unknown } | null, index) => {
    const reason = placeholderReason(typeof node?.password === 'string' ? node.password : '');
    if (reason === null) return;
    const where = setting === 'ARI_NODES' ? `ARI_NODES[${index}].password (node ${String(node?.name ?? index)})` : setting;
    throw new PlaceholderPasswordError(where, reason);
  });
}

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new Error(`${name} is not valid JSON`, { cause: error });
  }
}

/** Unset stays undefined so the schema default applies; garbage becomes NaN so the schema rejects it. */
function optionalNumber(raw: string | undefined): number | undefined {
  return raw === undefined || raw === '' ? undefined : Number(raw);
}
