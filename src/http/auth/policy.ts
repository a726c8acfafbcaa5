import type { Request, RequestHandler, Response } from 'express';
import { requestContextOf } from '../context.ts';
import type { Principal } from '../dependencies.ts';
import { HttpError } from '../errors.ts';
import type { Role } from '../front-door.ts';

/**
 * Who may do what, decided in one place from the request's path and the caller:
 * - Scopes: a route under /api/v1/<resource> needs `<resource>:read` (GET, HEAD) or
 *   `<resource>:write` (anything else); `api-keys` is the `keys` resource. A credential with no
 *   scopes has full access for its role; `<resource>:*` and `*` grant every action.
 * - Roles: /api-keys and /users are for owners and admins (a developer may still change their own
 *   password at /users/<own id>).
 * - The operator key manages tenants (/accounts) and nothing inside them; tenants cannot create
 *   tenants. Refusals are 403 FORBIDDEN: they say what the credential lacks, never whether a
 *   resource exists (that check comes after, and answers 404 for other tenants' ids).
 */

const SCOPE_RESOURCE: Readonly<Record<string, string>> = { 'api-keys': 'keys' };
const MANAGERS: readonly Role[] = ['owner', 'admin'];
const MANAGED_RESOURCES = new Set(['api-keys', 'users']);

export function forbidden(message: string, details: Record<string, unknown> = {}): HttpError {
  return new HttpError(403, 'FORBIDDEN', message, details);
}

export const roleOf = (principal: Principal): Role => principal.role ?? 'owner';
export const isOperator = (principal: Principal): boolean => principal.kind === 'operator';

/** The first path segment under the API root, e.g. 'calls' for /api/v1/calls/123/hangup. */
export function resourceOf(path: string): string {
  return path.split('/').find((segment) => segment !== '') ?? '';
}

export function requiredScope(method: string, path: string): string | null {
  const resource = resourceOf(path);
  if (resource === '') return null;
  const action = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'read' : 'write';
  return `${SCOPE_RESOURCE[resource] ?? resource}:${action}`;
}

export function hasScope(principal: Principal, scope: string): boolean {
  if (principal.scopes.length === 0) return true;
  const [resource] = scope.split(':');
  return principal.scopes.some((granted) => granted === scope || granted === '*' || granted === `${resource}:*`);
}

function selfService(req: Request, principal: Principal): boolean {
  const segments = req.path.split('/').filter(Boolean);
  return segments[0] === 'users' && segments.length === 2 && segments[1] === principal.userId && req.method === 'PATCH';
}

/** Mounted at /api/v1 after authentication; `req.path` is relative to it. */
export function authorize(): RequestHandler {
  return (req: Request, res: Response, next) => {
    const { principal } = requestContextOf(res);
    const resource = resourceOf(req.path);
    if (isOperator(principal)) {
      if (resource !== 'accounts') throw forbidden('The operator key manages accounts only; use a tenant credential for tenant resources.');
      next();
      return;
    }
    if (resource === 'accounts' && req.method === 'POST') throw forbidden('Only the operator key can create accounts.');
    const scope = requiredScope(req.method, req.path);
    if (scope !== null && !hasScope(principal, scope)) throw forbidden(`This credential lacks the ${scope} scope.`, { required: scope });
    if (MANAGED_RESOURCES.has(resource) && !MANAGERS.includes(roleOf(principal)) && !selfService(req, principal)) {
      throw forbidden(`The ${roleOf(principal)} role cannot manage ${resource}.`, { role: roleOf(principal) });
    }
    next();
  };
}
