import { expect } from 'vitest';
import { wav } from '../../support/audio-fixtures.ts';
import { poll } from '../../support/poll.ts';

/**
 * Setup a browser journey does not need to click through: the tenant's own API called directly
 * with its key over the engine's real listener (the journey itself is what the page does).
 */
export async function tenantApi<T = any>(baseUrl: string, key: string, path: string, init: { method?: string; body?: unknown; form?: FormData } = {}): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}`, Accept: 'application/json' };
  let body: FormData | string | undefined;
  if (init.form) body = init.form;
  else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetch(`${baseUrl}/api/v1${path}`, { method: init.method ?? 'GET', headers, body });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A one-second WAV uploaded and processed, ready for a campaign. */
export async function uploadReadyAudio(baseUrl: string, key: string, name = 'greeting.wav'): Promise<string> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(wav({ seconds: 1 }))], { type: 'audio/wav' }), name);
  const uploaded = await tenantApi<{ id: string }>(baseUrl, key, '/audio', { method: 'POST', form });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const id = uploaded.body.id;
  await poll('audio ready', async () => (await tenantApi<{ status: string }>(baseUrl, key, `/audio/${id}`)).body.status === 'ready');
  return id;
}
