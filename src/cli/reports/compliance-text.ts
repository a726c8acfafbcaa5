import type { ComplianceReport, DialledCall, DncProof, WindowProof } from '../../domain/audit/compliance.ts';
import { table } from './format.ts';

const at = (position: { commit: string; prepare: string }) => `${position.commit}/${position.prepare}`;

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

/** One line of proof per dialled (or blocked) call, violations first, then the totals. */
export function complianceText(report: ComplianceReport): string {
  const out: string[] = [];
  out.push(`Compliance audit of calls dialled from ${report.from} to ${report.to}: ${report.violations === 0 ? 'PASS' : 'VIOLATIONS'}`);
  out.push(`  ${report.dialled} dialled, ${report.blocked} blocked before dialling, ${report.violations} in violation; ${report.eventsScanned} events folded`);
  const ordered = [...report.calls].sort((a, b) => Number(b.violations.length > 0) - Number(a.violations.length > 0));
  if (ordered.length > 0) {
    out.push('');
    out.push(
      table(
        ['call', 'tenant', 'number', 'dialling at', 'position', 'do-not-call at that position', 'calling window', 'verdict'],
        ordered.map((call: DialledCall) => [
          call.callId,
          call.tenantId,
          call.phone,
          call.dialingAt,
          at(call.position),
          dncProofText(call.dnc),
          windowProofText(call.window),
          call.blocked ? 'BLOCKED' : call.violations.length > 0 ? `VIOLATION: ${call.violations.join('; ')}` : 'OK',
        ]),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
