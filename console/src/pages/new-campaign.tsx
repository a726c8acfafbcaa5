import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import { uploadWithProgress } from '../api/upload.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { navigate } from '../router.ts';
import { FileDrop } from './parts/file-drop.tsx';
import { ImportReportView } from './parts/import-report.tsx';
import type { Audio, Campaign, ImportReport, Paged } from './parts/types.ts';
import './parts/pages.css';

/**
 * A campaign from a CSV, ZensCall's multipart create. The CSV is first sent as a dry run, which
 * answers the per-row import report without creating anything; only after the user has seen it
 * and confirms is the campaign created — as a draft (`start=false`), started from its page.
 */

type Form = { name: string; audioId: string; maxRetries: string; concurrentLimit: string; callerId: string; timezone: string; days: string; hoursStart: string; hoursEnd: string };

const EMPTY: Form = { name: '', audioId: '', maxRetries: '2', concurrentLimit: '10', callerId: '', timezone: '', days: '', hoursStart: '', hoursEnd: '' };

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function formOf(form: Form, file: File | null): FormData {
  const data = new FormData();
  data.set('name', form.name);
  data.set('audio_id', form.audioId);
  // Optional fields are left out when empty, so the engine's defaults apply rather than "" being refused.
  if (form.maxRetries.trim()) data.set('max_retries', form.maxRetries.trim());
  if (form.concurrentLimit.trim()) data.set('concurrent_limit', form.concurrentLimit.trim());
  if (form.callerId.trim()) data.set('caller_id', form.callerId.trim());
  if (form.timezone.trim()) data.set('timezone', form.timezone.trim());
  if (form.days) data.set('days', form.days);
  if (form.hoursStart) data.set('calling_hours_start', form.hoursStart);
  if (form.hoursEnd) data.set('calling_hours_end', form.hoursEnd);
  data.set('start', 'false');
  if (file) data.set('csv_file', file, file.name);
  return data;
}

/** The dry run's answer: `import` is the report the real create would give (null without a CSV). */
type DryRun = { dry_run: true; import: ImportReport | null };

const NO_ROWS: ImportReport = { imported: 0, duplicates_existing: 0, rejected: 0, errors: [] };

export function NewCampaignPage(_props: PageProps) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const audio = useResource((signal) => api<Paged<Audio>>('/audio', { signal, query: { per_page: 100 } }), []);
  const issues = error instanceof ApiError ? error.fieldIssues() : {};
  const unplaced = Object.keys(issues).some((path) => !FIELD_PATHS.includes(path));

  const set = (key: keyof Form) => (event: Event) => {
    setForm({ ...form, [key]: (event.currentTarget as HTMLInputElement).value });
    setPreview(null);
  };
  const chooseFile = (next: File | null) => {
    setFile(next);
    setPreview(null);
  };
  const toggleDay = (day: string) => {
    const chosen = new Set(form.days ? form.days.split(',') : []);
    if (chosen.has(day)) chosen.delete(day);
    else chosen.add(day);
    setForm({ ...form, days: WEEKDAYS.filter((d) => chosen.has(d)).join(',') });
  };

  const check = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setPreview(null);
    try {
      const answer = await uploadWithProgress<DryRun>('/campaigns', formOf(form, file), setProgress, { dry_run: 'true' });
      setPreview(answer.import ?? NO_ROWS);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await uploadWithProgress<Campaign>('/campaigns', formOf(form, file), setProgress);
      navigate(`/campaigns/${created.id}`);
    } catch (failure) {
      setError(failure);
      setPreview(null);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const readyAudio = (audio.value?.data ?? []).filter((entry) => entry.status === 'ready');
  return (
    <Page title="New campaign" actions={<Link to="/campaigns">Back to campaigns</Link>}>
      <form class="panel" onSubmit={check} noValidate aria-label="Campaign settings">
        <div class="form-grid">
          <Field id="campaign-name" label="Name" error={issues.name}>
            <input id="campaign-name" value={form.name} onInput={set('name')} {...describedBy('campaign-name', issues.name)} />
          </Field>
          <Field id="campaign-audio" label="Message (audio)" error={issues.audio_id} hint={readyAudio.length === 0 && audio.value ? 'No ready audio: upload one in the audio library first.' : undefined}>
            <select id="campaign-audio" value={form.audioId} onChange={set('audioId')} {...describedBy('campaign-audio', issues.audio_id, readyAudio.length === 0 && !!audio.value)}>
              <option value="">Choose a recording…</option>
              {readyAudio.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.name}
                  {entry.duration_seconds !== null ? ` (${entry.duration_seconds} s)` : ''}
                </option>
              ))}
            </select>
          </Field>
          <Field id="campaign-retries" label="Max retries" error={issues.max_retries} hint="Calls after the first, for an unanswered number.">
            <input id="campaign-retries" inputMode="numeric" value={form.maxRetries} onInput={set('maxRetries')} {...describedBy('campaign-retries', issues.max_retries, true)} />
          </Field>
          <Field id="campaign-concurrency" label="Concurrent calls" error={issues.concurrent_limit}>
            <input id="campaign-concurrency" inputMode="numeric" value={form.concurrentLimit} onInput={set('concurrentLimit')} {...describedBy('campaign-concurrency', issues.concurrent_limit)} />
          </Field>
          <Field id="campaign-caller-id" label="Caller id (optional)" error={issues.caller_id}>
            <input id="campaign-caller-id" type="tel" value={form.callerId} onInput={set('callerId')} {...describedBy('campaign-caller-id', issues.caller_id)} />
          </Field>
          <Field id="campaign-timezone" label="Time zone (optional)" error={issues.timezone} hint="IANA name, e.g. Europe/London; the account's zone if empty.">
            <input id="campaign-timezone" value={form.timezone} onInput={set('timezone')} {...describedBy('campaign-timezone', issues.timezone, true)} />
          </Field>
          <Field id="campaign-hours-start" label="Calling hours from (optional)" error={issues.calling_hours_start} hint="In the callee's time zone; give both ends or neither.">
            <input id="campaign-hours-start" type="time" value={form.hoursStart} onInput={set('hoursStart')} {...describedBy('campaign-hours-start', issues.calling_hours_start, true)} />
          </Field>
          <Field id="campaign-hours-end" label="Calling hours to (optional)" error={issues.calling_hours_end}>
            <input id="campaign-hours-end" type="time" value={form.hoursEnd} onInput={set('hoursEnd')} {...describedBy('campaign-hours-end', issues.calling_hours_end)} />
          </Field>
        </div>
        <fieldset class="events-choice" aria-describedby={issues.days ? 'campaign-days-error' : undefined}>
          <legend>Calling days (optional, every day if none)</legend>
          {WEEKDAYS.map((day) => (
            <label key={day}>
              <input type="checkbox" checked={form.days.split(',').includes(day)} onChange={() => toggleDay(day)} /> {day}
            </label>
          ))}
          {issues.days ? (
            <p class="field-error" id="campaign-days-error" role="alert">
              {issues.days}
            </p>
          ) : null}
        </fieldset>
        <Field id="campaign-csv" label="Numbers (CSV)" error={issues.csv_file ?? issues.file} hint="A phone_number column, one number a row; other columns are kept with the contact.">
          <FileDrop id="campaign-csv" accept=".csv,text/csv" file={file} onFile={chooseFile} describedBy={describedBy('campaign-csv', issues.csv_file ?? issues.file, true)} />
        </Field>
        {error && (!(error instanceof ApiError) || Object.keys(issues).length === 0 || unplaced) ? <ErrorNotice error={error} /> : null}
        {progress !== null ? <ProgressBar value={Math.round(progress * 100)} max={100} label="Upload" /> : null}
        {!preview ? (
          <div class="form-actions">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? 'Checking…' : 'Check the CSV'}
            </button>
            <span class="muted">Nothing is created until you confirm.</span>
          </div>
        ) : null}
      </form>
      {preview ? (
        <>
          <ImportReportView report={preview} title="Rows that will be imported" preview />
          <div class="form-actions">
            <button type="button" class="primary" disabled={busy || preview.imported === 0} onClick={confirm}>
              {busy ? 'Creating…' : `Create campaign with ${preview.imported} ${preview.imported === 1 ? 'number' : 'numbers'}`}
            </button>
            <button type="button" disabled={busy} onClick={() => setPreview(null)}>
              Change something
            </button>
          </div>
        </>
      ) : null}
    </Page>
  );
}

/** The field paths this form shows next to a field; any other issue goes in the notice above the buttons. */
const FIELD_PATHS = ['name', 'audio_id', 'max_retries', 'concurrent_limit', 'caller_id', 'timezone', 'days', 'calling_hours_start', 'calling_hours_end', 'csv_file', 'file'];
