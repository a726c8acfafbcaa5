import { useState } from 'preact/hooks';
import { ApiError } from '../../api/errors.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { describedBy } from '../../components/field.tsx';
import { FileDrop } from './file-drop.tsx';
import { ImportReportView } from './import-report.tsx';
import type { Positioned } from './read-your-writes.ts';
import type { ImportReport } from './types.ts';
import { useSubmit } from './use-submit.ts';

/**
 * Upload a CSV to an import route (contacts, a list's import, the do-not-call import) and show
 * the report it answers: the rows taken and every refused row with its line and reason.
 */
export function CsvImport({ id, path, title, hint, fields = {}, write, onImported }: {
  id: string;
  path: string;
  title: string;
  hint: string;
  fields?: Record<string, string>;
  /** The page's write, so its next read waits for the import to be applied. */
  write: Positioned['write'];
  onImported: (report: ImportReport) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const { busy, error, submit } = useSubmit(async () => {
    if (!file) return;
    setReport(null);
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) if (value) form.set(name, value);
    form.set('file', file, file.name);
    const answer = await write<ImportReport>(path, { method: 'POST', body: form });
    setReport(answer);
    setFile(null);
    onImported(answer);
  });
  const fileIssue = error instanceof ApiError ? (error.fieldIssues().file ?? error.fieldIssues().csv_file) : undefined;

  return (
    <form class="panel" onSubmit={submit} aria-label={title} noValidate>
      <h2 class="panel-title">{title}</h2>
      <p class="field-hint" id={`${id}-hint`}>
        {hint}
      </p>
      <FileDrop id={id} label="CSV file" accept=".csv,text/csv" file={file} onFile={setFile} describedBy={describedBy(id, fileIssue, true)} />
      {fileIssue ? (
        <p class="field-error" id={`${id}-error`} role="alert">
          {fileIssue}
        </p>
      ) : null}
      <ErrorNotice error={fileIssue ? null : error} />
      <button type="submit" class="primary" disabled={!file || busy}>
        {busy ? 'Importing…' : 'Import'}
      </button>
      {report ? <ImportReportView report={report} /> : null}
    </form>
  );
}
