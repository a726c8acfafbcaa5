import type { CallScript } from '../../src/adapters/telephony/ari-simulator/rules.ts';
import type { CallTimeline } from './asterisk-dialplan.ts';

/**
 * What the ARI simulator makes of a script (channels.ts runScript), in the terms of a dialplan run:
 * ringing only when it comes before the answer or failure, digits after the answer unless the callee
 * has hung up first. The originate timeout is left out on both sides: it turns anything unanswered
 * by then into cause 19 in the simulator and in Asterisk alike.
 */
export function simulatorTimeline(script: CallScript): CallTimeline {
  if (script.outcome === 'no-answer') return { ringingAtMs: script.ringingAfterMs, end: { kind: 'never-answered' } };
  const endsAtMs = script.outcome === 'answer' ? script.answerAfterMs : script.failAfterMs;
  const ringingAtMs = script.ringingAfterMs !== null && script.ringingAfterMs < endsAtMs ? script.ringingAfterMs : null;
  if (script.outcome === 'fail') return { ringingAtMs, end: { kind: 'failed', cause: script.cause, atMs: endsAtMs } };
  const hangup = script.calleeHangupAfterMs ?? null;
  const dtmf = script.dtmf
    ? [...script.dtmf.digits]
        .map((digit, index) => ({ digit, afterAnswerMs: script.dtmf!.afterAnswerMs + index * script.dtmf!.gapMs }))
        .filter((press) => hangup === null || press.afterAnswerMs < hangup)
    : [];
  return { ringingAtMs, end: { kind: 'answered', atMs: endsAtMs, dtmf, calleeHangupAfterMs: hangup } };
}
