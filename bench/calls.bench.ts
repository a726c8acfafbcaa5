/**
 * Telephony throughput against the ARI simulator at real time: N calls, at most M in flight, each
 * answered and held by the callee for 2 s (rule 0102). Calls are placed through the command layer
 * (CallService), so the figure covers event store → dialer → ARI adapter → simulator → outcome
 * events → read model, without HTTP or rate limits.
 *
 * Env: BENCH_CALLS (2000), BENCH_IN_FLIGHT (500), BENCH_DATABASE_URL (else PGlite in memory).
 */
import { filter } from 'rxjs';
import { openScratchDatabase } from './support/scratch-database.ts';
import { DEFAULT_ANSWER_AFTER_MS, type AriSimulator } from '../src/adapters/telephony/ari-simulator/index.ts';
import { ensureDemoAccess } from '../src/app/bootstrap.ts';
import { loadConfig } from '../src/app/config.ts';
import { Engine } from '../src/app/engine.ts';
import { sandboxTelephony } from '../src/app/telephony.ts';
import { systemClock } from '../src/domain/shared/clock.ts';

export default async function bench(): Promise<void> {
  const total = Number(process.env.BENCH_CALLS ?? 2000);
  const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 500);
  const url = process.env.BENCH_DATABASE_URL;
  let simulator!: AriSimulator;
  const config = loadConfig({ DEMO_ACCOUNT_COUNTRY: 'PK' });
  const { database, dispose } = await openScratchDatabase(url);
  const engine = await Engine.create({
    config,
    clock: systemClock,
    database,
    telephony: sandboxTelephony({ callsPerSecond: 10_000, simulator: { playbackMs: 60_000 }, onSimulator: (s) => (simulator = s) }),
  });
  await engine.start();
  const { accountId } = await ensureDemoAccess(engine, config);
  console.log(`${total} calls, ${inFlight} in flight, each held 2 s by the callee; store: ${url ? 'PostgreSQL' : 'PGlite'}`);

  // Terminal events, watched on the log itself: time from the PBX's ChannelDestroyed to our event.
  const waiting = new Map<string, () => void>();
  const endLatencies: number[] = [];
  const terminal = engine.store
    .subscribe()
    .pipe(filter((event) => event.type === 'CallCompleted' || event.type === 'CallFailed'))
    .subscribe((event) => {
      const data = event.data as { callId: string; endedAt: string };
      endLatencies.push(Date.parse(event.metadata.occurredAt) - Date.parse(data.endedAt));
      waiting.get(data.callId)?.();
    });

  let peakChannels = 0;
  let peakRss = 0;
  const sampler = setInterval(() => {
    peakChannels = Math.max(peakChannels, simulator.channels().length);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);

  const caller = { tenantId: accountId, mode: 'live' as const, actor: 'system:bench', correlationId: 'bench', requestId: 'bench' };
  let next = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      next++;
      try {
        const call = await engine.calls.place(caller, {
          phoneNumber: '+923001230102',
          audioId: null,
          callerId: null,
          record: false,
          maxDurationSeconds: 30,
          ringTimeoutSeconds: 30,
          optOutDigit: null,
        });
        await new Promise<void>((resolve) => waiting.set(call.callId, resolve));
        waiting.delete(call.callId);
      } catch (error) {
        failed++;
        if (failed <= 3) console.error('place failed:', error instanceof Error ? error.message : error);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  terminal.unsubscribe();

  const sorted = [...endLatencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  // Each call is scripted to answer at DEFAULT_ANSWER_AFTER_MS and then last 2 s: with no engine
  // overhead at all, `inFlight` lanes would finish in this many seconds.
  const perCall = (DEFAULT_ANSWER_AFTER_MS + 2000) / 1000;
  const ideal = Math.ceil(total / inFlight) * perCall;
  console.log(`calls completed: ${total - failed} (${failed} failed) in ${seconds.toFixed(1)} s → ${((total - failed) / seconds).toFixed(1)} calls/s`);
  console.log(`baseline: the scripted call lengths alone (${perCall} s each, ${inFlight} lanes) take ${ideal.toFixed(1)} s (${(total / ideal).toFixed(1)} calls/s); ratio ${(ideal / seconds).toFixed(2)}`);
  console.log(`peak concurrent channels: ${peakChannels}`);
  console.log(`engine + simulator memory (one process): peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  console.log(`ChannelDestroyed → terminal event: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms, max ${sorted.at(-1)} ms`);
  await engine.stop();
  await dispose();
}
