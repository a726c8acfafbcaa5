import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./engine-process.ts', import.meta.url));

/**
 * An engine child process (engine-process.ts) that can be killed and started again with the same
 * environment. Its output is appended to a log file, and the JSON lines it reports are kept.
 */
export class EngineProcess {
  private child: ChildProcess | null = null;
  private reports: Record<string, unknown>[] = [];
  private exited: Promise<void> = Promise.resolve();
  private readonly log: WriteStream;

  constructor(
    readonly name: string,
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
    /** Flags for node itself, before the entry (a bench passes --cpu-prof). */
    private readonly nodeArgs: readonly string[] = [],
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  /**
   * Starts the process and resolves once it listens. `seed` makes the demo account and key once
   * (seeding again would revoke the key the test holds) and waits for the key too.
   */
  async start({ seed = false, timeoutMs = 120_000 }: { seed?: boolean; timeoutMs?: number } = {}): Promise<void> {
    this.reports = seed ? [] : this.reports.filter((report) => 'apiKey' in report);
    const env = seed ? { ...this.env, SEED: '1' } : this.env;
    const child = spawn(process.execPath, [...this.nodeArgs, '--import', 'tsx', ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{"listening"') && !line.startsWith('{"apiKey"')) continue;
        this.reports.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => this.log.write(chunk));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    const ready = () => this.reports.some((report) => 'listening' in report) && (!seed || this.reports.some((report) => 'apiKey' in report));
    while (!ready()) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode} before it was ready`);
      if (Date.now() > deadline) throw new Error(`${this.name} was not ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The running child's process id, or null when it is not running. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  report(key: string): unknown {
    return this.reports.find((report) => key in report)?.[key];
  }

  /** kill -9: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  /** A graceful stop (SIGTERM), killed when it takes too long. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }

  close(): void {
    this.log.end();
  }
}

/** A port nobody listens on right now, so a restarted process can come back on the same address. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The environment every child engine in these tests shares: one Postgres schema, the simulated
 * PBX, fresh secrets, and limits high enough that the test measures the engine, not its guards.
 * Callers add what their test is about (a port, polling, webhook settings).
 */
export function childEngineEnv(options: {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly simulator: { readonly url: string; readonly username: string; readonly password: string };
  readonly workDir: string;
}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: options.databaseUrl,
    DATABASE_SCHEMA: options.schema,
    ARI_URL: options.simulator.url,
    ARI_USERNAME: options.simulator.username,
    ARI_PASSWORD: options.simulator.password,
    ARI_TRUNK_ENDPOINT: 'PJSIP/{e164}@sandbox',
    HOST: '127.0.0.1',
    AUDIO_DIR: join(options.workDir, 'audio'),
    MEDIA_SIGNING_SECRET: randomBytes(32).toString('hex'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    DEMO_ACCOUNT_COUNTRY: 'PK',
    RATE_LIMIT_GENERAL_PER_MINUTE: '1000000',
    RATE_LIMIT_CALLS_PER_MINUTE: '1000000',
    PASSWORD_SCRYPT_LOG2N: '12',
    LOG_LEVEL: 'error',
  };
}
