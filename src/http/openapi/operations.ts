import { z } from 'zod';
import { listCallsQuery, placeCallBody } from '../schemas/calls.ts';
import { adjustmentBody, assignmentBody, dailyUsageQuery, purchaseBody, ratePlanBody, revisionBody, thresholdBody, usageQuery } from '../schemas/billing.ts';
import { campaignContactsQuery, listCampaignsQuery } from '../schemas/campaign-queries.ts';
import { jsonCampaignBody, zensCallCampaignFields } from '../schemas/campaigns.ts';
import { addToListBody, createContactBody, createListBody, listContactsQuery, pageQuery, removeFromListBody, updateContactBody } from '../schemas/contacts.ts';
import { createWebhookBody, deliveriesQuery, replayBody, updateWebhookBody } from '../schemas/webhooks.ts';
import { addDncBody, DNC_IMPORT_FIELDS, dncReadQuery, dncRemovalReason } from '../schemas/dnc.ts';
import { accountChangeBody, loginBody, newAccountBody, newApiKeyBody, newUserBody, refreshBody, userChangeBody } from '../schemas/front-door.ts';
import { listAudioQuery } from '../routes/audio.ts';
import { LIST_FIELDS } from '../routes/contacts.ts';
import { disputeReportQuery } from '../routes/audit.ts';
import { dryRunQuery } from '../schemas/dry-run.ts';
import { accountAuditQuery, verifyBody } from '../schemas/operator.ts';

/**
 * Every operation the API serves, described once. Request bodies and queries are the very zod
 * schemas the routes parse with, so the document cannot drift from validation; a route added to
 * the app without an entry here fails test/http/openapi.e2e.test.ts.
 */

/** Who may call: nobody in particular, a tenant's API key or access token, the operator key, either, or a signed media link. */
export type Auth = 'none' | 'tenant' | 'operator' | 'tenant_or_operator' | 'media_token';

export type Body =
  | { kind: 'json'; schema: z.ZodType }
  | { kind: 'multipart'; schema: z.ZodType }
  | { kind: 'json_or_multipart'; json: z.ZodType; multipart: z.ZodType };

export type Operation = {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express syntax (`/calls/:id`); the document writes `{id}`. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly auth: Auth;
  readonly body?: Body;
  readonly query?: z.ZodType;
  /** The success status and what it carries. */
  readonly success: { status: number; description: string; content?: 'json' | 'wav' | 'audio' | 'html' | 'metrics' | 'event_stream' | 'report' | 'none' };
};

const file = (description: string) => z.string().meta({ format: 'binary', description });
const csvUpload = (fields: readonly string[], part = 'file') =>
  z.object({ [part]: file('the CSV file'), ...Object.fromEntries(fields.map((name) => [name, z.string().optional()])) });
const audioUpload = z.object({ file: file('WAV, MP3 or Ogg (Opus/Vorbis)'), name: z.string().max(200).optional() });
const campaignUpload = z.object({ ...zensCallCampaignFields.in.shape, csv_file: file('the CSV of numbers') });
const atQuery = z.object({ at: z.string().meta({ description: 'ISO 8601 date-time with a zone, or a date (UTC midnight)' }).optional() });
const mediaQuery = z.object({ token: z.string().meta({ description: 'the signed token in the link the engine gave the PBX' }) });

const streamQuery = z.object({
  after: z.string().meta({ description: 'resume after this event id (the same as sending Last-Event-ID)' }).optional(),
});

const json = (schema: z.ZodType): Body => ({ kind: 'json', schema });
const ok = (description: string) => ({ status: 200, description });
const created = (description: string) => ({ status: 201, description });
const noContent = (description: string) => ({ status: 204, description, content: 'none' as const });

export const OPERATIONS: readonly Operation[] = [
  // Probes and this document.
  { method: 'get', path: '/health', tag: 'health', summary: 'Liveness: the process serves HTTP', auth: 'none', success: ok('`{"status":"ok"}`') },
  { method: 'get', path: '/health/ready', tag: 'health', summary: 'Readiness of the database, event store and each Asterisk node (503 names the failing one)', auth: 'none', success: ok('every component answers') },
  { method: 'get', path: '/api/v1/openapi.json', tag: 'docs', summary: 'This document', auth: 'none', success: ok('the OpenAPI 3.1 document') },
  { method: 'get', path: '/', tag: 'docs', summary: 'The web console (also at /console and every /console/… page; static files, no data)', auth: 'none', success: { status: 200, description: 'HTML', content: 'html' } },
  { method: 'get', path: '/docs', tag: 'docs', summary: 'The API reference page (Swagger UI, served locally)', auth: 'none', success: { status: 200, description: 'HTML', content: 'html' } },
  { method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics (no tenant data in labels)', auth: 'operator', success: { status: 200, description: 'Prometheus text exposition format', content: 'metrics' } },

  // Logins.
  { method: 'post', path: '/api/v1/auth/login', tag: 'auth', summary: 'Log in with email and password: a JWT access token and a refresh token', auth: 'none', body: json(loginBody), success: ok('the token pair and the user') },
  { method: 'post', path: '/api/v1/auth/refresh', tag: 'auth', summary: 'Spend a refresh token for a new pair', auth: 'none', body: json(refreshBody), success: ok('a new token pair') },
  { method: 'post', path: '/api/v1/auth/logout', tag: 'auth', summary: "End a refresh token's family", auth: 'none', body: json(refreshBody), success: noContent('logged out') },

  // The PBX's audio fetch.
  { method: 'get', path: '/media/:file', tag: 'media', summary: 'The 8 kHz WAV of an audio file, behind a signed link that expires', auth: 'media_token', query: mediaQuery, success: { status: 200, description: 'audio/wav', content: 'wav' } },

  // Operator billing.
  { method: 'post', path: '/api/v1/credits/purchase', tag: 'billing (operator)', summary: 'Record a payment received into an account', auth: 'operator', body: json(purchaseBody), success: created('the deposit (200 with `recorded: false` when already recorded)') },
  { method: 'post', path: '/api/v1/accounts/:accountId/credit-adjustments', tag: 'billing (operator)', summary: 'A manual credit or debit', auth: 'operator', body: json(adjustmentBody), success: created('the adjustment') },
  { method: 'put', path: '/api/v1/accounts/:accountId/low-balance-threshold', tag: 'billing (operator)', summary: 'Set the LowBalanceReached threshold', auth: 'operator', body: json(thresholdBody), success: ok('the threshold') },
  { method: 'get', path: '/api/v1/rate-plans', tag: 'billing (operator)', summary: 'List rate plans', auth: 'operator', success: ok('the plans') },
  { method: 'post', path: '/api/v1/rate-plans', tag: 'billing (operator)', summary: 'Create a rate plan', auth: 'operator', body: json(ratePlanBody), success: created('the plan') },
  { method: 'get', path: '/api/v1/rate-plans/:planId', tag: 'billing (operator)', summary: 'A rate plan with its versions', auth: 'operator', success: ok('the plan') },
  { method: 'post', path: '/api/v1/rate-plans/:planId/versions', tag: 'billing (operator)', summary: 'A new version of a plan, from now or later', auth: 'operator', body: json(revisionBody), success: created('the plan') },
  { method: 'put', path: '/api/v1/accounts/:accountId/rate-plan', tag: 'billing (operator)', summary: 'Assign a rate plan to an account', auth: 'operator', body: json(assignmentBody), success: ok('the assignment') },

  // The operator's do-not-call list.
  { method: 'get', path: '/api/v1/operator/dnc', tag: 'compliance (operator)', summary: "List (or check a number on) the operator's do-not-call list", auth: 'operator', query: dncReadQuery, success: ok('entries') },
  { method: 'post', path: '/api/v1/operator/dnc', tag: 'compliance (operator)', summary: "Add a number to the operator's list", auth: 'operator', body: json(addDncBody), success: created('the entry') },
  { method: 'post', path: '/api/v1/operator/dnc/import', tag: 'compliance (operator)', summary: "Import a CSV into the operator's list", auth: 'operator', body: { kind: 'multipart', schema: csvUpload(DNC_IMPORT_FIELDS) }, success: created('the import report') },
  { method: 'delete', path: '/api/v1/operator/dnc/:phone', tag: 'compliance (operator)', summary: "Remove a number from the operator's list", auth: 'operator', query: dncRemovalReason, body: json(dncRemovalReason), success: noContent('removed') },

  // The console's operator pages.
  { method: 'get', path: '/api/v1/operator/health', tag: 'operations', summary: 'Database, event store (with the log head) and each Asterisk node, and every projection\'s and reactor\'s lag behind the head', auth: 'operator', success: ok('`{status, database, event_store, telephony[], projections[]}`') },
  { method: 'post', path: '/api/v1/operator/verify', tag: 'operations', summary: '`calltrail verify`: the hash chains of one stream or of every stream, stopping after `max_events` links (verdict `incomplete`); one run at a time (409 VERIFY_RUNNING)', auth: 'operator', body: json(verifyBody), success: ok('`{verdict, events_checked, streams_checked, max_events, first_break}`') },
  { method: 'get', path: '/api/v1/operator/accounts/:id/audit', tag: 'operations', summary: '`calltrail audit account`: every charge of the calls placed in [from, to) recomputed from the log', auth: 'operator', query: accountAuditQuery, success: ok('the account audit: totals, mismatches and every call\'s audit') },

  // Keys, users and accounts.
  { method: 'get', path: '/api/v1/api-keys', tag: 'api keys', summary: "The account's API keys (never the secret)", auth: 'tenant', success: ok('keys') },
  { method: 'post', path: '/api/v1/api-keys', tag: 'api keys', summary: 'Issue an API key (the secret is shown only here)', auth: 'tenant', body: json(newApiKeyBody), success: created('the key with its secret') },
  { method: 'get', path: '/api/v1/api-keys/:id', tag: 'api keys', summary: 'One API key', auth: 'tenant', success: ok('the key') },
  { method: 'delete', path: '/api/v1/api-keys/:id', tag: 'api keys', summary: 'Revoke an API key at once', auth: 'tenant', success: noContent('revoked') },
  { method: 'get', path: '/api/v1/users', tag: 'users', summary: "The account's users", auth: 'tenant', success: ok('users') },
  { method: 'post', path: '/api/v1/users', tag: 'users', summary: 'Add a user', auth: 'tenant', body: json(newUserBody), success: created('the user') },
  { method: 'get', path: '/api/v1/users/:id', tag: 'users', summary: 'One user', auth: 'tenant', success: ok('the user') },
  { method: 'patch', path: '/api/v1/users/:id', tag: 'users', summary: "Change a user's role or password", auth: 'tenant', body: json(userChangeBody), success: ok('the user') },
  { method: 'delete', path: '/api/v1/users/:id', tag: 'users', summary: 'Remove a user', auth: 'tenant', success: noContent('removed') },
  { method: 'get', path: '/api/v1/accounts', tag: 'accounts', summary: 'Every tenant (operator) or your own account', auth: 'tenant_or_operator', success: ok('accounts') },
  { method: 'post', path: '/api/v1/accounts', tag: 'accounts', summary: 'Open a tenant, with a first owner key and user', auth: 'operator', body: json(newAccountBody), success: created('the account, its owner API key (shown once) and owner') },
  { method: 'get', path: '/api/v1/accounts/:id', tag: 'accounts', summary: 'One account (a tenant sees only its own)', auth: 'tenant_or_operator', success: ok('the account') },
  { method: 'patch', path: '/api/v1/accounts/:id', tag: 'accounts', summary: 'Change an account', auth: 'tenant_or_operator', body: json(accountChangeBody), success: ok('the account') },

  // Calls.
  { method: 'get', path: '/api/v1/calls', tag: 'calls', summary: 'Calls, newest first', auth: 'tenant', query: listCallsQuery, success: ok('a page of calls') },
  { method: 'post', path: '/api/v1/calls', tag: 'calls', summary: 'Place a call', auth: 'tenant', body: json(placeCallBody), success: created('the call (202 when scheduled for its calling hours)') },
  { method: 'post', path: '/api/v1/calls/outbound', tag: 'calls', summary: 'Place a call (ZeroVoice path)', auth: 'tenant', body: json(placeCallBody), success: created('the call') },
  { method: 'get', path: '/api/v1/calls/:id', tag: 'calls', summary: 'A call with its event timeline and charge', auth: 'tenant', success: ok('the call') },
  { method: 'post', path: '/api/v1/calls/:id/hangup', tag: 'calls', summary: 'Ask the PBX to hang up', auth: 'tenant', success: { status: 202, description: 'accepted' } },
  { method: 'get', path: '/api/v1/calls/:id/recordings', tag: 'calls', summary: "A call's recordings", auth: 'tenant', success: ok('recordings') },
  { method: 'get', path: '/api/v1/calls/:id/recordings/:name', tag: 'calls', summary: 'One recording file', auth: 'tenant', success: { status: 200, description: 'the audio file', content: 'audio' } },
  { method: 'get', path: '/api/v1/calls/:id/audit', tag: 'audit', summary: "The call's billing audit, recomputed from the log", auth: 'tenant', success: ok('timeline, evidence, recomputed charge and verdict') },
  {
    method: 'get', path: '/api/v1/calls/:id/audit/report', tag: 'audit', auth: 'tenant', query: disputeReportQuery,
    summary: 'The dispute report of `calltrail export dispute`, as a download (`dispute-<call id>.<format>`)',
    success: { status: 200, description: 'the report: HTML (one self-contained file), JSON or CSV', content: 'report' },
  },

  // The console's live view.
  {
    method: 'get', path: '/api/v1/events/stream', tag: 'events', auth: 'tenant', query: streamQuery,
    summary: "The tenant's events as Server-Sent Events: `id:` is the log position (resume with Last-Event-ID; usable as Calltrail-Position), `data:` a summary",
    success: { status: 200, description: 'text/event-stream; one summary per event, a heartbeat comment every EVENT_STREAM_HEARTBEAT_MS', content: 'event_stream' },
  },

  // Audio.
  { method: 'post', path: '/api/v1/audio', tag: 'audio', summary: 'Upload an audio file', auth: 'tenant', body: { kind: 'multipart', schema: audioUpload }, success: created('the audio file') },
  { method: 'get', path: '/api/v1/audio', tag: 'audio', summary: 'Audio files, newest first', auth: 'tenant', query: listAudioQuery, success: ok('a page of audio files') },
  { method: 'get', path: '/api/v1/audio/:id', tag: 'audio', summary: 'One audio file', auth: 'tenant', success: ok('the audio file') },
  { method: 'delete', path: '/api/v1/audio/:id', tag: 'audio', summary: 'Delete an audio file', auth: 'tenant', success: noContent('deleted') },

  // Contacts and lists.
  { method: 'post', path: '/api/v1/contacts', tag: 'contacts', summary: 'Create a contact', auth: 'tenant', body: json(createContactBody), success: created('the contact') },
  { method: 'get', path: '/api/v1/contacts', tag: 'contacts', summary: 'Contacts', auth: 'tenant', query: listContactsQuery, success: ok('a page of contacts') },
  { method: 'post', path: '/api/v1/contacts/import', tag: 'contacts', summary: 'Import contacts from a CSV (`?dry_run=true`: the same checks and per-row report, 200, nothing written)', auth: 'tenant', query: dryRunQuery, body: { kind: 'multipart', schema: csvUpload(LIST_FIELDS) }, success: created('the import report') },
  { method: 'get', path: '/api/v1/contacts/:id', tag: 'contacts', summary: 'One contact', auth: 'tenant', success: ok('the contact') },
  { method: 'patch', path: '/api/v1/contacts/:id', tag: 'contacts', summary: 'Change a contact', auth: 'tenant', body: json(updateContactBody), success: ok('the contact') },
  { method: 'delete', path: '/api/v1/contacts/:id', tag: 'contacts', summary: 'Delete a contact', auth: 'tenant', success: noContent('deleted') },
  { method: 'get', path: '/api/v1/contacts/:id/calls', tag: 'contacts', summary: "A contact's calls", auth: 'tenant', query: pageQuery, success: ok('a page of calls') },
  { method: 'post', path: '/api/v1/contact-lists', tag: 'contact lists', summary: 'Create a contact list', auth: 'tenant', body: json(createListBody), success: created('the list') },
  { method: 'get', path: '/api/v1/contact-lists', tag: 'contact lists', summary: 'Contact lists', auth: 'tenant', query: pageQuery, success: ok('a page of lists') },
  { method: 'get', path: '/api/v1/contact-lists/:id', tag: 'contact lists', summary: 'A list with its members', auth: 'tenant', query: pageQuery, success: ok('the list') },
  { method: 'post', path: '/api/v1/contact-lists/:id/contacts', tag: 'contact lists', summary: 'Add contacts to a list', auth: 'tenant', body: json(addToListBody), success: ok('the list') },
  { method: 'delete', path: '/api/v1/contact-lists/:id/contacts', tag: 'contact lists', summary: 'Remove contacts from a list', auth: 'tenant', body: json(removeFromListBody), success: noContent('removed') },
  { method: 'delete', path: '/api/v1/contact-lists/:id/contacts/:contactId', tag: 'contact lists', summary: 'Remove one contact from a list', auth: 'tenant', success: noContent('removed') },
  { method: 'post', path: '/api/v1/contact-lists/:id/import', tag: 'contact lists', summary: 'Import a CSV into a list (`?dry_run=true`: report only, nothing written)', auth: 'tenant', query: dryRunQuery, body: { kind: 'multipart', schema: csvUpload([]) }, success: created('the import report') },

  // Campaigns.
  { method: 'post', path: '/api/v1/campaigns', tag: 'campaigns', summary: 'Create a campaign (JSON, or ZensCall multipart with a CSV); `?dry_run=true`: every check and the CSV\'s per-row report, 200 `{dry_run, import}`, nothing written', auth: 'tenant', query: dryRunQuery, body: { kind: 'json_or_multipart', json: jsonCampaignBody, multipart: campaignUpload }, success: created('the campaign') },
  { method: 'get', path: '/api/v1/campaigns', tag: 'campaigns', summary: 'Campaigns', auth: 'tenant', query: listCampaignsQuery, success: ok('a page of campaigns') },
  { method: 'get', path: '/api/v1/campaigns/:id', tag: 'campaigns', summary: 'A campaign with its statistics', auth: 'tenant', success: ok('the campaign') },
  { method: 'get', path: '/api/v1/campaigns/:id/contacts', tag: 'campaigns', summary: "A campaign's contacts and their attempts", auth: 'tenant', query: campaignContactsQuery, success: ok('a page of contacts') },
  ...(['start', 'pause', 'resume', 'cancel'] as const).map(
    (action): Operation => ({ method: 'post', path: `/api/v1/campaigns/:id/${action}`, tag: 'campaigns', summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`, auth: 'tenant', success: ok('the campaign') }),
  ),

  // The tenant's do-not-call list.
  { method: 'get', path: '/api/v1/compliance/dnc', tag: 'compliance', summary: 'List (or check a number on) the do-not-call list', auth: 'tenant', query: dncReadQuery, success: ok('entries') },
  { method: 'post', path: '/api/v1/compliance/dnc', tag: 'compliance', summary: 'Add a number to the do-not-call list', auth: 'tenant', body: json(addDncBody), success: created('the entry') },
  { method: 'post', path: '/api/v1/compliance/dnc/import', tag: 'compliance', summary: 'Import a CSV into the do-not-call list', auth: 'tenant', body: { kind: 'multipart', schema: csvUpload(DNC_IMPORT_FIELDS) }, success: created('the import report') },
  { method: 'delete', path: '/api/v1/compliance/dnc/:phone', tag: 'compliance', summary: 'Remove a number from the do-not-call list', auth: 'tenant', query: dncRemovalReason, body: json(dncRemovalReason), success: noContent('removed') },

  // Webhook endpoints and their deliveries.
  { method: 'get', path: '/api/v1/webhooks', tag: 'webhooks', summary: 'List webhook endpoints', auth: 'tenant', success: ok('endpoints, without their secrets') },
  { method: 'post', path: '/api/v1/webhooks', tag: 'webhooks', summary: 'Create an endpoint; its signing secret is shown once', auth: 'tenant', body: json(createWebhookBody), success: created('the endpoint and its `whsec_` secret') },
  { method: 'get', path: '/api/v1/webhooks/:id', tag: 'webhooks', summary: 'Show an endpoint and its status', auth: 'tenant', success: ok('the endpoint') },
  { method: 'patch', path: '/api/v1/webhooks/:id', tag: 'webhooks', summary: 'Change an endpoint (URL, events, description, enabled)', auth: 'tenant', body: json(updateWebhookBody), success: ok('the endpoint') },
  { method: 'delete', path: '/api/v1/webhooks/:id', tag: 'webhooks', summary: 'Delete an endpoint', auth: 'tenant', success: noContent('deleted') },
  { method: 'post', path: '/api/v1/webhooks/:id/rotate-secret', tag: 'webhooks', summary: 'New signing secret, shown once; the old one also signs for the grace period', auth: 'tenant', success: ok('the new secret') },
  { method: 'get', path: '/api/v1/webhooks/:id/deliveries', tag: 'webhooks', summary: 'The delivery log: attempts, response codes, latency, next retry', auth: 'tenant', query: deliveriesQuery, success: ok('a page of deliveries') },
  { method: 'post', path: '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver', tag: 'webhooks', summary: 'Send one delivery again, with its original id and body', auth: 'tenant', success: { status: 202, description: 'queued' } },
  { method: 'post', path: '/api/v1/webhooks/:id/replay', tag: 'webhooks', summary: 'Re-send every event of a time range, in log order, with the original ids', auth: 'tenant', body: json(replayBody), success: { status: 202, description: 'how many were queued' } },

  // Balance and usage.
  { method: 'get', path: '/api/v1/balance', tag: 'billing', summary: 'The balance now, or replayed to `at`', auth: 'tenant', query: atQuery, success: ok('the balance') },
  { method: 'get', path: '/api/v1/credits/balance', tag: 'billing', summary: 'The balance now, or replayed to `at`', auth: 'tenant', query: atQuery, success: ok('the balance') },
  { method: 'get', path: '/api/v1/credits/usage', tag: 'billing', summary: 'Charges, newest first, with totals', auth: 'tenant', query: usageQuery, success: ok('a page of charges and totals') },
  {
    method: 'get', path: '/api/v1/credits/usage/daily', tag: 'billing', auth: 'tenant', query: dailyUsageQuery,
    summary: 'Charges per UTC day (by charge time), every day of the range present; default the last 30 days, at most 366 (400 RANGE_TOO_LARGE)',
    success: ok('`{data:[{date, calls, amount, billed_seconds}], range:{from, to, days}}`'),
  },
];
