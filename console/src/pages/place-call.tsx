import '../calls/calls.css';
import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { AudioView } from '../calls/audio-types.ts';
import type { CallView, Paged } from '../calls/types.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';
import { Link } from '../components/link.tsx';
import { Page } from '../components/page.tsx';
import { useResource } from '../hooks/use-resource.ts';
import type { PageProps } from '../routes.ts';
import { navigate } from '../router.ts';

type Form = { phone_number: string; audio_id: string; caller_id: string; record: boolean; max_duration_seconds: string; ring_timeout_seconds: string; opt_out_digit: string };

const EMPTY: Form = { phone_number: '', audio_id: '', caller_id: '', record: false, max_duration_seconds: '', ring_timeout_seconds: '', opt_out_digit: '' };

/** The body of POST /api/v1/calls: empty fields are left out so the account's defaults apply. */
function bodyOf(form: Form): Record<string, unknown> {
  const body: Record<string, unknown> = { record: form.record };
  // Left out when empty, so the API answers "one of phone_number, to_number, to is required".
  if (form.phone_number.trim()) body.phone_number = form.phone_number;
  if (form.audio_id) body.audio_id = form.audio_id;
  if (form.caller_id.trim()) body.caller_id = form.caller_id;
  if (form.opt_out_digit) body.opt_out_digit = form.opt_out_digit;
  // A number the API refuses (0, 1.5, "ten") is sent as typed so its message comes back next to the field.
  for (const name of ['max_duration_seconds', 'ring_timeout_seconds'] as const) {
    const typed = form[name].trim();
    if (typed) body[name] = Number.isFinite(Number(typed)) ? Number(typed) : typed;
  }
  return body;
}

export function PlaceCallPage(_props: PageProps) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Only ready files can be played; the newest hundred is plenty for a picker.
  const audio = useResource((signal) => api<Paged<AudioView>>('/audio', { query: { per_page: 100 }, signal }), []);
  const ready = (audio.value?.data ?? []).filter((file) => file.status === 'ready');

  const issues = error instanceof ApiError ? error.fieldIssues() : {};
  // "One of phone_number, to_number, to is required" is an issue of the whole body (path "").
  const issue = (name: keyof Form) => issues[name] ?? (name === 'phone_number' ? issues[''] : undefined);
  const text = (name: keyof Form) => (event: Event) => setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const call = await api<CallView>('/calls', { method: 'POST', body: bodyOf(form) });
      navigate(`/calls/${call.id}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Page title="Place a call">
      <form class="panel form-narrow" onSubmit={submit} noValidate aria-label="Place a call">
        <ErrorNotice error={error} />
        <Field id="call-phone" label="Phone number" error={issue('phone_number')} hint="E.164 (+14155550100) or a national number in your account's country">
          <input id="call-phone" type="tel" autoComplete="off" required value={form.phone_number} onInput={text('phone_number')} {...describedBy('call-phone', issue('phone_number'), true)} />
        </Field>
        <Field id="call-audio" label="Audio to play" error={issue('audio_id') ?? (audio.error instanceof Error ? audio.error.message : undefined)}>
          <select id="call-audio" value={form.audio_id} onChange={text('audio_id')} {...describedBy('call-audio', issue('audio_id'))}>
            <option value="">None (the account's default)</option>
            {ready.map((file) => (
              <option key={file.id} value={file.id}>
                {file.name}
              </option>
            ))}
          </select>
        </Field>
        {audio.value && ready.length === 0 ? (
          <p class="field-hint">
            No audio ready yet: <Link to="/audio">upload a file</Link> to play one.
          </p>
        ) : null}
        <Field id="call-caller-id" label="Caller id" error={issue('caller_id')} hint="Optional; the number the callee sees">
          <input id="call-caller-id" type="tel" autoComplete="off" value={form.caller_id} onInput={text('caller_id')} {...describedBy('call-caller-id', issue('caller_id'), true)} />
        </Field>
        <div class="checkbox-field">
          <input id="call-record" type="checkbox" checked={form.record} onChange={(event) => setForm({ ...form, record: event.currentTarget.checked })} />
          <label for="call-record">Record the call</label>
        </div>
        <Field id="call-max-duration" label="Longest call (seconds)" error={issue('max_duration_seconds')} hint="Optional; the call is hung up after this">
          <input id="call-max-duration" inputMode="numeric" value={form.max_duration_seconds} onInput={text('max_duration_seconds')} {...describedBy('call-max-duration', issue('max_duration_seconds'), true)} />
        </Field>
        <Field id="call-ring-timeout" label="Ring for at most (seconds)" error={issue('ring_timeout_seconds')}>
          <input id="call-ring-timeout" inputMode="numeric" value={form.ring_timeout_seconds} onInput={text('ring_timeout_seconds')} {...describedBy('call-ring-timeout', issue('ring_timeout_seconds'))} />
        </Field>
        <Field id="call-opt-out" label="Opt-out key" error={issue('opt_out_digit')} hint="Optional; pressing it puts the number on your do-not-call list">
          <input id="call-opt-out" maxLength={1} value={form.opt_out_digit} onInput={text('opt_out_digit')} {...describedBy('call-opt-out', issue('opt_out_digit'), true)} />
        </Field>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Placing…' : 'Place the call'}
        </button>
      </form>
    </Page>
  );
}
