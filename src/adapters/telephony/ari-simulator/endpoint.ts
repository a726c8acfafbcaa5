/**
 * What the simulator needs from an originate `endpoint` such as `PJSIP/+923001234567@carrier`
 * or `PJSIP/carrier/sip:+923001234567@10.0.0.1`.
 */
export type ParsedEndpoint = {
  readonly technology: string;
  /** The dialled number's digits, without `+`; empty when the endpoint names none. */
  readonly digits: string;
  /** The trunk the call leaves on: rate limits apply per trunk. */
  readonly trunk: string;
};

export function parseEndpoint(endpoint: string): ParsedEndpoint | null {
  const slash = endpoint.indexOf('/');
  if (slash <= 0 || slash === endpoint.length - 1) return null;
  const technology = endpoint.slice(0, slash);
  const resource = endpoint.slice(slash + 1);
  // Four or more digits, so that IP address octets and ports never pass for a number.
  const number = /\+?(\d{4,})/.exec(resource);
  return { technology, digits: number?.[1] ?? '', trunk: trunkOf(technology, resource) };
}

function trunkOf(technology: string, resource: string): string {
  const innerSlash = resource.indexOf('/');
  if (innerSlash > 0) return resource.slice(0, innerSlash);
  const at = resource.lastIndexOf('@');
  if (at >= 0 && at < resource.length - 1) return resource.slice(at + 1);
  return technology;
}
