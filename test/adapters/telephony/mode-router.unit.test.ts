import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { testModeRouter } from '../../../src/adapters/telephony/mode-router.ts';
import type { OriginateRequest, TelephonyOutcome, TelephonyPort } from '../../../src/adapters/telephony/port.ts';

class RecordingPort implements TelephonyPort {
  readonly originated: string[] = [];
  readonly hungUp: string[] = [];
  readonly events = new Subject<TelephonyOutcome>();
  readonly outcomes = this.events.asObservable();
  constructor(readonly name: string) {}
  async originate(request: OriginateRequest) {
    this.originated.push(request.callId);
    return { channelId: `${this.name}-${request.callId}` };
  }
  async hangup(callId: string) {
    this.hungUp.push(callId);
  }
  async recordingFile() {
    return null;
  }
  async health() {
    return { ok: true, nodes: [{ name: this.name, ok: true }] };
  }
  async close() {}
}

const request = (callId: string, testMode?: boolean): OriginateRequest => ({
  callId,
  tenantId: 't',
  to: '+923001234567',
  callerId: null,
  media: null,
  record: false,
  ringTimeoutSeconds: 30,
  maxDurationSeconds: 60,
  ...(testMode === undefined ? {} : { testMode }),
});

describe('the test-mode router', () => {
  it('sends test-mode calls to the sandbox and everything else to the real PBX', async () => {
    const real = new RecordingPort('real');
    const sandbox = new RecordingPort('sandbox');
    const router = testModeRouter(real, sandbox);
    await router.originate(request('live-1'));
    await router.originate(request('live-2', false));
    await router.originate(request('test-1', true));
    expect(real.originated).toEqual(['live-1', 'live-2']);
    expect(sandbox.originated).toEqual(['test-1']);
  });

  it('hangs up on the port that owns the call, and on both when it cannot know', async () => {
    const real = new RecordingPort('real');
    const sandbox = new RecordingPort('sandbox');
    const router = testModeRouter(real, sandbox);
    const seen: string[] = [];
    router.outcomes.subscribe((outcome) => seen.push(`${outcome.kind}:${outcome.callId}`));
    await router.originate(request('test-1', true));
    await router.hangup('test-1');
    expect(sandbox.hungUp).toEqual(['test-1']);
    expect(real.hungUp).toEqual([]);

    // Learnt from outcomes (e.g. after a restart), then forgotten once the call ended.
    real.events.next({ kind: 'ringing', callId: 'live-9', tenantId: 't', at: '2026-11-23T10:00:00Z' });
    await router.hangup('live-9');
    expect(real.hungUp).toEqual(['live-9']);
    await router.hangup('unknown');
    expect(real.hungUp).toContain('unknown');
    expect(sandbox.hungUp).toContain('unknown');
    expect(seen).toEqual(['ringing:live-9']);
  });

  it('reports both sides in health, the sandbox nodes named as test mode', async () => {
    const router = testModeRouter(new RecordingPort('pbx1'), new RecordingPort('sandbox'));
    expect(await router.health()).toEqual({ ok: true, nodes: [{ name: 'pbx1', ok: true }, { name: 'test-mode:sandbox', ok: true }] });
  });
});
