import type { DncProof, WindowProof } from '../domain/audit/compliance.ts';

/** The do-not-call and calling-window proof of one call, as one line each: shared by the CLI and the dispute report. */

export const at = (position: { commit: string; prepare: string }) => `${position.commit}/${position.prepare}`;

export function dncProofText(dnc: DncProof): string {
  if (dnc.listed) return `LISTED (${dnc.entry.scope}, ${dnc.entry.eventType} ${dnc.entry.eventId} at ${at(dnc.entry.position)}, ${dnc.entry.at})`;
  return `not listed (${dnc.eventsFolded} DNC events folded${dnc.lastEventPosition ? `, last at ${at(dnc.lastEventPosition)}` : ''})`;
}

export function windowProofText(window: WindowProof): string {
  if (window.verdict === 'not_recorded') return 'window not recorded';
  if (window.verdict === 'no_hours') return `no calling hours (${window.source})`;
  const hours = window.hours ? `${window.hours.start}-${window.hours.end}` : 'all day';
  return `${window.verdict.toUpperCase()} ${window.source} hours ${hours} ${window.days.join(',')} in ${window.zones.join(', ')}`;
}
