/**
 * Whether the engine serves an operator route, asked with the operator key: a route that is not
 * mounted falls through to the tenant routes (403 to the operator key) or to 404. A test that a
 * tenant is refused checks this first, so a refusal is not a missing route.
 */
export async function operatorRouteServed(baseUrl: string, operatorKey: string, method: string, path: string): Promise<boolean> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${operatorKey}`, 'Content-Type': 'application/json' },
    body: method === 'POST' ? '{}' : undefined,
  });
  const served = ![401, 403, 404].includes(response.status);
  if (!served) console.log(`not checked: ${method} ${path} is not mounted on this engine (the operator got ${response.status})`);
  return served;
}
