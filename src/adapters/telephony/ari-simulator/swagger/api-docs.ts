import type { ResourceDecl } from './declare.ts';
import { RESOURCES } from './resources.ts';

/** The version string the declarations carry; ARI-compatible clients only display it. */
const API_VERSION = '8.0.0-calltrail-sim';

/**
 * Asterisk rewrites `basePath` to the Host the client used, so a client that reached the server
 * through a proxy or a mapped port calls the same address back. The simulator does the same.
 */
function basePathFor(host: string): string {
  return `http://${host}/ari`;
}

export function resourceListing(host: string): object {
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.2',
    basePath: basePathFor(host),
    apis: RESOURCES.map((resource) => ({
      path: `/api-docs/${resource.name}.{format}`,
      description: resource.description,
    })),
  };
}

export function apiDeclaration(name: string, host: string): object | null {
  const resource: ResourceDecl | undefined = RESOURCES.find((candidate) => candidate.name === name);
  if (resource === undefined) return null;
  return {
    apiVersion: API_VERSION,
    swaggerVersion: '1.2',
    basePath: basePathFor(host),
    resourcePath: `/api-docs/${resource.name}.{format}`,
    produces: ['application/json'],
    consumes: ['application/json'],
    apis: resource.apis,
    models: resource.models,
  };
}
