import { merge, tap, type Observable } from 'rxjs';
import type { OriginateRequest, OriginateResult, TelephonyGauges, TelephonyHealth, TelephonyOutcome, TelephonyPort } from './port.ts';

/**
 * Test mode for a production engine: calls placed with a test key (`testMode`) go to the sandbox
 * port (the in-process ARI simulator), everything else to the real PBX. So a test key's call can
 * never reach a real trunk, whatever the real adapter's trunk settings say.
 *
 * Outcomes of both are merged. Hangups go to the port that owns the call; which one that is comes
 * from the originate or from the call's own outcomes. After a restart neither may be known, so the
 * hangup goes to both — hanging up a channel a port does not have succeeds (port contract).
 * Recordings are looked up in the real PBX first, then in the sandbox.
 */
export function testModeRouter(real: TelephonyPort, sandbox: TelephonyPort): TelephonyPort {
  /** callId → the port that owns it. Only a cache: every entry can be learnt again. */
  const owners = new Map<string, TelephonyPort>();
  const learn = (port: TelephonyPort) => (outcome: TelephonyOutcome) => {
    if (outcome.kind === 'ended') owners.delete(outcome.callId);
    else owners.set(outcome.callId, port);
  };
  const outcomes: Observable<TelephonyOutcome> = merge(real.outcomes.pipe(tap(learn(real))), sandbox.outcomes.pipe(tap(learn(sandbox))));

  return {
    async originate(request: OriginateRequest): Promise<OriginateResult> {
      const port = request.testMode === true ? sandbox : real;
      owners.set(request.callId, port);
      return port.originate(request);
    },
    async hangup(callId: string): Promise<void> {
      const owner = owners.get(callId);
      if (owner) return owner.hangup(callId);
      await Promise.all([real.hangup(callId), sandbox.hangup(callId)]);
    },
    outcomes,
    async recordingFile(name) {
      return (await real.recordingFile(name)) ?? sandbox.recordingFile(name);
    },
    async health(): Promise<TelephonyHealth> {
      const [live, test] = await Promise.all([real.health(), sandbox.health()]);
      return {
        ok: live.ok && test.ok,
        nodes: [...live.nodes, ...test.nodes.map((node) => ({ ...node, name: `test-mode:${node.name}` }))],
      };
    },
    gauges(): TelephonyGauges {
      const live = real.gauges?.() ?? { nodes: [], cpsQueues: [] };
      const test = sandbox.gauges?.() ?? { nodes: [], cpsQueues: [] };
      return {
        nodes: [...live.nodes, ...test.nodes.map((node) => ({ ...node, name: `test-mode:${node.name}` }))],
        cpsQueues: [...live.cpsQueues, ...test.cpsQueues.map((queue) => ({ ...queue, trunk: `test-mode:${queue.trunk}` }))],
      };
    },
    async close(): Promise<void> {
      await Promise.all([real.close(), sandbox.close()]);
    },
  };
}
