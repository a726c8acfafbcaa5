import { z } from 'zod';
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { OPERATIONS, type Auth, type Operation } from './operations.ts';

/**
 * The OpenAPI 3.1 document, built from OPERATIONS. Generated once per process (it is pure) and
 * served at GET /api/v1/openapi.json.
 */

const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_ERROR' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'Error', description: 'Every failure has this one shape.' });

const SECURITY: Record<Auth, RouteConfig['security']> = {
  none: [],
  tenant: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
  operator: [{ operatorKey: [] }],
  tenant_or_operator: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { operatorKey: [] }],
  media_token: [{ mediaToken: [] }],
};

const SUCCESS_CONTENT = {
  json: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
  wav: { 'audio/wav': { schema: z.string().meta({ format: 'binary' }) } },
  audio: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
  html: { 'text/html': { schema: z.string() } },
  metrics: { 'text/plain': { schema: z.string() } },
  event_stream: { 'text/event-stream': { schema: z.string() } },
  report: {
    'text/html': { schema: z.string() },
    'application/json': { schema: z.record(z.string(), z.unknown()) },
    'text/csv': { schema: z.string() },
  },
} as const;

/** `/calls/:id` → `/calls/{id}`, and the names of its parameters. */
export function openApiPath(expressPath: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = expressPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_all, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

function errorResponses(op: Operation, hasParams: boolean): RouteConfig['responses'] {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: errorBody } } });
  const out: RouteConfig['responses'] = {};
  if (op.auth !== 'none' && op.auth !== 'media_token') {
    out[401] = error('UNAUTHORIZED: missing, malformed, expired or revoked credential');
    out[403] = error('FORBIDDEN: the credential lacks the scope or role');
    out[429] = error('RATE_LIMITED, with Retry-After');
  }
  if (op.auth === 'media_token') out[403] = error('MEDIA_TOKEN_INVALID or MEDIA_TOKEN_EXPIRED');
  if (hasParams) out[404] = error('not found; another tenant’s id answers the same');
  if (op.body || op.query) out[422] = error('VALIDATION_ERROR, with the failing fields in details.issues');
  out.default = error('any other failure, in the same shape');
  return out;
}

function requestBody(op: Operation): RouteConfig['request'] {
  if (!op.body) return {};
  const content =
    op.body.kind === 'json'
      ? { 'application/json': { schema: op.body.schema } }
      : op.body.kind === 'multipart'
        ? { 'multipart/form-data': { schema: op.body.schema } }
        : { 'application/json': { schema: op.body.json }, 'multipart/form-data': { schema: op.body.multipart } };
  return { body: { content, required: op.method !== 'delete' } };
}

function routeConfig(op: Operation): RouteConfig {
  const { path, params } = openApiPath(op.path);
  const idempotent = op.method === 'post' && op.auth !== 'none' && op.auth !== 'media_token';
  const success = op.success.content === 'none' ? {} : { content: SUCCESS_CONTENT[op.success.content ?? 'json'] };
  return {
    method: op.method,
    path,
    tags: [op.tag],
    summary: op.summary,
    operationId: `${op.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_all, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: SECURITY[op.auth],
    request: {
      ...(params.length > 0 ? { params: z.object(Object.fromEntries(params.map((name) => [name, z.string()]))) } : {}),
      ...(op.query ? { query: op.query as z.ZodObject } : {}),
      ...(idempotent ? { headers: z.object({ 'Idempotency-Key': z.string().min(1).max(255).optional() }) } : {}),
      ...requestBody(op),
    },
    responses: { [op.success.status]: { description: op.success.description, ...success }, ...errorResponses(op, params.length > 0) },
  };
}

export function buildOpenApiDocument(version: string): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`ct_live_…`, `ct_test_…`) or an access token (JWT) from POST /api/v1/auth/login.',
  });
  registry.registerComponent('securitySchemes', 'apiKeyHeader', { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same API key or token, in X-API-Key.' });
  registry.registerComponent('securitySchemes', 'operatorKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator key (`ct_op_…`, from `calltrail init` or OPERATOR_API_KEY_HASH).',
  });
  registry.registerComponent('securitySchemes', 'mediaToken', { type: 'apiKey', in: 'query', name: 'token', description: 'The signed, expiring token of a media link.' });
  for (const op of OPERATIONS) registry.registerPath(routeConfig(op));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'calltrail',
      version,
      description: 'The calltrail API. Every error is `{"error":{"code","message","details"}}`. Request schemas are the ones the server validates with.',
    },
    servers: [{ url: '/' }],
  });
}
