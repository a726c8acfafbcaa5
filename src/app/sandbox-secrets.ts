import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOperatorKey } from './authenticate.ts';

/**
 * The sandbox's secrets. The JWT secret is made at first start and kept in the data folder
 * (mode 0600), so logins survive a restart; so is the key that seals webhook signing secrets, so
 * endpoints keep signing after a restart. The operator key is new on every start, like the demo
 * key: only its hash is kept, in this process's environment, and the key itself is printed once.
 */
export function sandboxSecrets(dataDir: string, env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; operatorKey: string | null } {
  const extra: NodeJS.ProcessEnv = {};
  if (!env.JWT_SECRET) {
    const file = join(dataDir, 'jwt-secret');
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    extra.JWT_SECRET = readFileSync(file, 'utf8').trim();
  }
  if (!env.WEBHOOK_SECRET_KEY) {
    const file = join(dataDir, 'webhook-secret-key');
    if (!existsSync(file)) {
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    extra.WEBHOOK_SECRET_KEY = readFileSync(file, 'utf8').trim();
  }
  let operatorKey: string | null = null;
  if (!env.OPERATOR_API_KEY_HASH) {
    const generated = generateOperatorKey();
    operatorKey = generated.secret;
    extra.OPERATOR_API_KEY_HASH = generated.hash;
  }
  return { env: { ...env, ...extra }, operatorKey };
}
