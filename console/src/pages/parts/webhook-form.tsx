import { useState } from 'preact/hooks';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../../../../src/domain/webhook/event-types.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { Field, describedBy } from '../../components/field.tsx';
import { fieldErrorsOf } from './field-errors.ts';
import { FormActions } from './form-actions.tsx';
import type { WebhookEndpoint } from './types.ts';
import { useSubmit } from './use-submit.ts';

/**
 * An endpoint's URL, the event types it receives and its description, for a new endpoint or an
 * edit. The engine judges the URL (scheme, private addresses) and the event names; its answers
 * show next to those fields. The event types are the engine's own list (a pure domain module),
 * so the form offers exactly what the API accepts.
 */
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

  const toggle = (type: string) => setEvents(events.includes(type) ? events.filter((chosen) => chosen !== type) : [...events, type]);
  const { busy, error, submit } = useSubmit(async () => {
    await onSubmit({ url: url.trim(), events, description: description.trim() || null });
  });
  const { issues, placed } = fieldErrorsOf(error, ['url', 'events', 'description'], CODES);
  const eventsIssue = issues.events ?? Object.entries(issues).find(([path]) => path.startsWith('events.'))?.[1];

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
          <input type="checkbox" checked={events.includes(ALL_EVENTS)} onChange={() => toggle(ALL_EVENTS)} /> Every event (*)
        </label>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type}>
            <input type="checkbox" checked={events.includes(type)} disabled={events.includes(ALL_EVENTS)} onChange={() => toggle(type)} /> {type}
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
      <FormActions busy={busy} submitLabel={submitLabel} onCancel={onCancel} />
    </form>
  );
}
