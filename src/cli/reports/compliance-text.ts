import type { ComplianceReport, DialledCall } from '../../domain/audit/compliance.ts';
import { at, dncProofText, windowProofText } from '../../reports/compliance-proof-text.ts';
import { table } from '../../reports/text-table.ts';

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
