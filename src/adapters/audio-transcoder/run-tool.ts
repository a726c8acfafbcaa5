import { spawn } from 'node:child_process';
import { AudioToolUnavailableError } from './port.ts';

export type ToolResult = {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** stdout passed its cap and the process was killed. */
  readonly overflowed: boolean;
};

/**
 * Runs a command-line tool with a hard timeout and capped output: a hostile input can make the
 * tool slow or chatty, never make calltrail wait forever or buffer without end. A missing binary
 * becomes AudioToolUnavailableError, so the caller can answer 503 instead of crashing.
 */
export function runTool(
  binary: string,
  args: readonly string[],
  options: { timeoutMs: number; maxStdoutBytes?: number; maxStderrBytes?: number },
): Promise<ToolResult> {
  const maxStdout = options.maxStdoutBytes ?? 1024 * 1024;
  const maxStderr = options.maxStderrBytes ?? 16 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let timedOut = false;
    let overflowed = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        overflowed = true;
        child.kill('SIGKILL');
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes >= maxStderr) return;
      stderrBytes += chunk.length;
      stderr.push(chunk);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT' || error.code === 'EACCES') {
        reject(new AudioToolUnavailableError(`${binary} is not installed or not executable on this server (${error.code}).`));
      } else {
        reject(error);
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8').slice(0, maxStderr),
        timedOut,
        overflowed,
      });
    });
  });
}
