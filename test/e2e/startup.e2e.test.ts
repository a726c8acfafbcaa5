import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'calltrail-startup-'));

/** Runs `npm start`'s entry point with the given environment until it exits (or is killed at the deadline). */
function runMain(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('starting the engine against a broken configuration', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits non-zero, without hanging, naming the URL when EventStoreDB is unreachable', async () => {
    const url = `esdb://127.0.0.1:${await closedPort()}?tls=false`;
    const result = await runMain({ EVENTSTORE_URL: url });
    expect(result.timedOut).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`127.0.0.1`);
    expect(result.output).toMatch(/unreachable|could not|unavailable/i);
  });

  it('exits non-zero with a configuration error for a malformed EVENTSTORE_URL', async () => {
    const result = await runMain({ EVENTSTORE_URL: 'http://not-esdb' });
    expect(result.timedOut).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/esdb|EVENTSTORE_URL|scheme/i);
  });

  it('exits non-zero with a clear message for an invalid PORT', async () => {
    const result = await runMain({ PORT: 'eighty' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('PORT');
  });

  it('exits non-zero naming ARI_PASSWORD when production would log in to Asterisk with a placeholder', async () => {
    const result = await runMain({
      NODE_ENV: 'production',
      ARI_URL: `http://127.0.0.1:${await closedPort()}`,
      ARI_USERNAME: 'calltrail',
      ARI_PASSWORD: 'change-me',
      ARI_TRUNK_ENDPOINT: 'PJSIP/{number}@carrier',
    });
    expect(result.timedOut).toBe(false);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('ARI_PASSWORD');
    expect(result.output).not.toContain('change-me');
  });
});
