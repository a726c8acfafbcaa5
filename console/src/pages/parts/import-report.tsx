import { DataTable } from './data-table.tsx';
import type { ImportReport } from './types.ts';

/** The per-row answer of a CSV import: how many rows went in, and each refused row with its line and reason. */
export function ImportReportView({ report, title = 'Import report', preview = false }: { report: ImportReport; title?: string; preview?: boolean }) {
  return (
    <section class="panel import-report" aria-label={title} data-testid="import-report">
      <h2 class="panel-title">{title}</h2>
      <p>
        {preview ? 'Would import' : 'Imported'} <strong>{report.imported}</strong> {report.imported === 1 ? 'row' : 'rows'}
        {report.duplicates_existing > 0 ? <>, {report.duplicates_existing} already known</> : null}
        {', '}
        <strong>{report.rejected}</strong> rejected.
      </p>
      {report.errors.length > 0 ? (
        <DataTable headers={['Line', 'Phone', 'Reason', 'Message']} caption="Rejected rows">
          {report.errors.map((row) => (
            <tr key={`${row.line}-${row.reason}`} data-testid="rejected-row">
              <td>{row.line}</td>
              <td class="mono">{row.phone || '—'}</td>
              <td>{row.reason.replace(/_/g, ' ')}</td>
              <td>{row.message}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
