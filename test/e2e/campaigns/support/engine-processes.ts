import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
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
