import type { z } from 'zod';
import { ConfigError, schema as engineSchema } from './config.ts';
import { schema as frontDoorSchema } from './front-door-config.ts';
import { schema as audioSchema } from './audio-config.ts';
import { schema as contactsSchema } from './contacts-feature.ts';
import { schema as dncSchema } from './compliance-feature.ts';
import { schema as webhooksSchema } from './webhooks-feature.ts';

/**
 * Every setting calltrail reads, checked together before anything starts: a malformed value or
 * a name that looks like ours but is not one (a typo such as ARI_PASWORD) stops the start with
 * the setting's name. Each feature keeps its schema beside its code; this module only gathers them.
 */

const SCHEMAS: readonly z.ZodObject[] = [engineSchema, frontDoorSchema, audioSchema, contactsSchema, dncSchema, webhooksSchema];

/** Read by the ARI adapter's own parser (src/adapters/telephony/ari/config.ts), which validates their values. */
const ARI_SETTINGS = [
  'ARI_URL', 'ARI_USERNAME', 'ARI_PASSWORD', 'ARI_APP', 'ARI_NODE_NAME', 'ARI_NODES', 'ARI_TRUNKS', 'ARI_TRUNK_ENDPOINT',
  'ARI_TRUNK_CALLER_ID', 'ARI_TRUNK_CPS', 'ARI_TEST_ENDPOINT', 'ARI_RING_TIMEOUT_SECONDS', 'ARI_REQUEST_TIMEOUT_MS',
  'ARI_HEARTBEAT_MS', 'ARI_RECONNECT_INITIAL_MS', 'ARI_RECONNECT_MAX_MS', 'ARI_BREAKER_FAILURES', 'ARI_BREAKER_COOLDOWN_MS',
] as const;

/** Read as they are elsewhere: Node's own and the deployment's. */
const OTHER_SETTINGS = ['NODE_ENV'] as const;

export const KNOWN_SETTINGS: ReadonlySet<string> = new Set([...SCHEMAS.flatMap((schema) => Object.keys(schema.shape)), ...ARI_SETTINGS, ...OTHER_SETTINGS]);

/**
 * Name prefixes that are calltrail's alone: an unknown name with one of them is a mistake. Other
 * variables (PATH, HOME, a sidecar's) are none of our business and are left alone.
 */
const OUR_PREFIXES = [
  'ARI_', 'AUDIO_', 'CALL_', 'CALLTRAIL_', 'CAMPAIGN_', 'CONTACT_', 'DEMO_ACCOUNT_', 'DNC_', 'EVENT_STREAM_', 'IDEMPOTENCY_', 'JWT_', 'LOG_',
  'LOGIN_', 'LOST_CALL_', 'MEDIA_', 'METRICS_', 'OPERATOR_', 'PASSWORD_', 'RATE_LIMIT_', 'READ_YOUR_WRITES_', 'REFRESH_TOKEN_', 'WEBHOOK_',
];

export function validateSettings(env: NodeJS.ProcessEnv): void {
  const problems: string[] = [];
  for (const name of Object.keys(env)) {
    if (KNOWN_SETTINGS.has(name) || !OUR_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const near = nearest(name);
    problems.push(`${name}: unknown setting${near ? ` (did you mean ${near}?)` : ''}`);
  }
  for (const schema of SCHEMAS) {
    const parsed = schema.safeParse(env);
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}

/** The known name closest to a misspelt one, if it is close (at most 3 edits). */
function nearest(name: string): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const known of KNOWN_SETTINGS) {
    const distance = editDistance(name, known);
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
