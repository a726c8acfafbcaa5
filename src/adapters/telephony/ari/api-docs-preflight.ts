import type { AriHttp } from './ari-http.ts';

/**
 * Checks the node's resource listing before ari-client touches it, so the common mistakes
 * (wrong password, ARI disabled, Asterisk still booting) surface as a clear message instead
 * of swagger-client's string errors.
 */
export async function preflightApiDocs(http: AriHttp): Promise<void> {
  const { status, body } = await http.send('GET', '/api-docs/resources.json');
  if (status === 401 || status === 403) {
    throw new Error(`ARI on ${http.node.name} refused the credentials (HTTP ${status}); check ari.conf`);
  }
  if (status === 404) {
    throw new Error(`ARI on ${http.node.name} not found (HTTP 404); is res_ari loaded and http.conf enabled?`);
  }
  if (status !== 200) {
    throw new Error(`ARI on ${http.node.name} answered HTTP ${status} for its api-docs; is Asterisk still starting?`);
  }
  const apis = body && typeof body === 'object' ? (body as { apis?: unknown }).apis : undefined;
  if (!Array.isArray(apis) || apis.length === 0) {
    throw new Error(`ARI on ${http.node.name} served api-docs without resources`);
  }
}
