import { useState } from 'preact/hooks';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { Field, describedBy } from '../../components/field.tsx';
import { fieldErrorsOf } from './field-errors.ts';
import type { WebhookEndpoint } from './types.ts';

/**
 * An endpoint's URL, the event types it receives and its description, for a new endpoint or an
 * edit. The engine judges the URL (scheme, private addresses) and the event names; its answers
 * show next to those fields.
 */
export const WEBHOOK_EVENT_TYPES = [
  'call.ringing',
  'call.started',
  'call.completed',
  'call.failed',
  'recording.ready',
  'campaign.started',
  'campaign.paused',
  'campaign.completed',
  'contact.updated',
  'credits.low',
  'dnc.added',
] as const;
const ALL = '*';

const CODES = { WEBHOOK_URL_INVALID: 'url', WEBHOOK_URL_FORBIDDEN: 'url', WEBHOOK_EVENT_TYPE_UNKNOWN: 'events' };

export type WebhookBody = { url: string; events: string[]; description: string | null };

export function WebhookForm({ idPrefix, endpoint, submitLabel, onSubmit, onCancel }: {
  idPrefix: string;
  endpoint: WebhookEndpoint | null;
  submitLabel: string;
  onSubmit: (body: WebhookBody) => Promise<void>;
  onCancel?: () => void;
}) {
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [events, setEvents] = useState<string[]>(endpoint?.events ?? []);
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { issues, placed } = fieldErrorsOf(error, ['url', 'events', 'description'], CODES);
  const eventsIssue = issues.events ?? Object.entries(issues).find(([path]) => path.startsWith('events.'))?.[1];

  const toggle = (type: string) => setEvents(events.includes(type) ? events.filter((chosen) => chosen !== type) : [...events, type]);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ url: url.trim(), events, description: description.trim() || null });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const urlId = `${idPrefix}-url`;
  const descriptionId = `${idPrefix}-description`;
  const eventsErrorId = `${idPrefix}-events-error`;
  return (
    <form onSubmit={submit} noValidate aria-label={submitLabel}>
      <Field id={urlId} label="URL" error={issues.url} hint="https:// address that receives signed POSTs.">
        <input id={urlId} inputMode="url" value={url} onInput={(event) => setUrl((event.currentTarget as HTMLInputElement).value)} {...describedBy(urlId, issues.url, true)} />
      </Field>
      <fieldset class={`events-choice${eventsIssue ? ' field-invalid' : ''}`} aria-describedby={eventsIssue ? eventsErrorId : undefined}>
        <legend>Events</legend>
        <label>
          <input type="checkbox" checked={events.includes(ALL)} onChange={() => toggle(ALL)} /> Every event (*)
        </label>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type}>
            <input type="checkbox" checked={events.includes(type)} disabled={events.includes(ALL)} onChange={() => toggle(type)} /> {type}
          </label>
        ))}
        {eventsIssue ? (
          <p class="field-error" id={eventsErrorId} role="alert">
            {eventsIssue}
          </p>
        ) : null}
      </fieldset>
      <Field id={descriptionId} label="Description (optional)" error={issues.description}>
        <input id={descriptionId} value={description} onInput={(event) => setDescription((event.currentTarget as HTMLInputElement).value)} {...describedBy(descriptionId, issues.description)} />
      </Field>
      {placed ? null : <ErrorNotice error={error} />}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
