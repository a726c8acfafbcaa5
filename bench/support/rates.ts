/** Small helpers the benches share: timing a run as a rate, and sizes from the environment. */

export async function perSecond(count: number, run: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await run();
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

export function sizeFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export function formatRate(rate: number, width = 7): string {
  return Math.round(rate).toLocaleString('en-US').padStart(width);
}
