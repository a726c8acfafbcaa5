import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { Database } from '../../../src/adapters/db/database.ts';
import type { EventStore } from '../../../src/adapters/eventstore/port.ts';
import type { AriSimulator } from '../../../src/adapters/telephony/ari-simulator/index.ts';
import { ensureDemoAccess } from '../../../src/app/bootstrap.ts';
import { loadConfig } from '../../../src/app/config.ts';
import { Engine } from '../../../src/app/engine.ts';
import type { WebhookNetwork } from '../../../src/app/webhooks-feature.ts';
import { sandboxTelephony } from '../../../src/app/telephony.ts';
import { systemClock, type Clock } from '../../../src/domain/shared/clock.ts';
import type { Logger } from '../../../src/http/dependencies.ts';

export type RunningEngine = {
  engine: Engine;
  simulator: AriSimulator;
  apiKey: string;
  accountId: string;
  /** A temporary AUDIO_DIR, removed on close. */
  audioDir: string;
  close(): Promise<void>;
};

/** The whole engine on a given database, with the ARI simulator sped up 100× and 1 s (real) playbacks. */
export async function startTestEngine(
  database: Database,
  /** `clock`: the engine's clock (e.g. a ManualClock to bring a campaign retry due); the simulator keeps its own. */
  options: { eventStore?: EventStore; env?: NodeJS.ProcessEnv; heartbeatIntervalMs?: number; clock?: Clock; webhookNetwork?: WebhookNetwork; logger?: Logger } = {},
): Promise<RunningEngine> {
  let simulator!: AriSimulator;
  const audioDir = mkdtempSync(join(tmpdir(), 'calltrail-audio-'));
  const config = loadConfig({
    DEMO_ACCOUNT_COUNTRY: 'PK',
    AUDIO_DIR: audioDir,
    MEDIA_SIGNING_SECRET: randomBytes(32).toString('hex'),
    // Tests place far more than 10 calls a minute per key; rate-limit tests set their own limits.
    RATE_LIMIT_GENERAL_PER_MINUTE: '1000000',
    RATE_LIMIT_CALLS_PER_MINUTE: '1000000',
    // Cheaper password hashing keeps user-creating tests quick (production default: 2^15).
    PASSWORD_SCRYPT_LOG2N: '12',
    ...options.env,
  });
  const engine = await Engine.create({
    config,
    clock: options.clock ?? systemClock,
    database,
    ...(options.eventStore ? { eventStore: options.eventStore } : {}),
    ...(options.webhookNetwork ? { webhookNetwork: options.webhookNetwork } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    telephony: sandboxTelephony({
      simulator: { timeScale: 0.01, playbackMs: 100_000 },
      onSimulator: (s) => (simulator = s),
      ...(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {}),
    }),
  });
  await engine.start();
  const { apiKey, accountId } = await ensureDemoAccess(engine, config);
  return {
    engine,
    simulator,
    apiKey,
    accountId,
    audioDir,
    async close() {
      await engine.stop();
      await database.close();
      rmSync(audioDir, { recursive: true, force: true });
    },
  };
}

/** Polls a call until `done` says so, failing with the last body seen after the deadline. */
export async function waitForCall(
  engine: Engine,
  apiKey: string,
  callId: string,
  done: (body: any) => boolean,
  timeoutMs = 15_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let body: unknown;
  while (Date.now() < deadline) {
    const response = await request(engine.app).get(`/api/v1/calls/${callId}`).set('Authorization', `Bearer ${apiKey}`);
    body = response.body;
    if (response.status === 200 && done(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`call ${callId} did not reach the expected state; last seen: ${JSON.stringify(body)}`);
}
