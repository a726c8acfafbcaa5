import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../../domain/shared/errors.ts';

/**
 * Tenants choose where calltrail sends requests, so a URL must not reach calltrail's own host,
 * its network or a cloud metadata service (SSRF). This module judges a URL when an endpoint is
 * created or changed; the sender judges the address it really connects to again at delivery
 * time (src/adapters/webhooks/http-sender.ts), since a name may resolve elsewhere by then.
 */

export type AddressClass = 'public' | 'loopback' | 'private' | 'link_local' | 'metadata' | 'unspecified' | 'reserved';

/** Cloud metadata services: refused even when private addresses are allowed. */
export const METADATA_ADDRESSES: readonly string[] = ['169.254.169.254', '169.254.170.2', '100.100.100.200', 'fd00:ec2::254'];

/** Classes WEBHOOK_ALLOW_PRIVATE=true lets through: an operator's own network. Metadata and 0.0.0.0 never. */
const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link_local']);

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export function addressClass(address: string): AddressClass {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6 = ipaddr.parse(address);
  // ::ffff:127.0.0.1 is 127.0.0.1 to the kernel.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const normal = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.some((meta) => ipaddr.parse(meta).toNormalizedString() === normal)) return 'metadata';
  switch (parsed.range()) {
    case 'unicast':
      return 'public';
    case 'loopback':
      return 'loopback';
    case 'private':
    case 'uniqueLocal':
    case 'carrierGradeNat':
      return 'private';
    case 'linkLocal':
      return 'link_local';
    case 'unspecified':
      return 'unspecified';
    default:
      // Multicast, broadcast, documentation, 6to4 and the rest: nothing a receiver lives on.
      return 'reserved';
  }
}

export function isAllowedAddress(klass: AddressClass, allowPrivate: boolean): boolean {
  return klass === 'public' || (allowPrivate && PRIVATE_CLASSES.has(klass));
}

export function webhookUrlInvalid(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('WEBHOOK_URL_INVALID', message, details);
}

export function webhookUrlForbidden(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError('WEBHOOK_URL_FORBIDDEN', message, details);
}

/** Shape only: an absolute http(s) URL with a host, no credentials and no fragment. */
export function parseWebhookUrl(raw: string): URL {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw webhookUrlInvalid(`The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw webhookUrlInvalid('The URL is not a valid absolute URL.', { url: raw });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw webhookUrlInvalid('Only http and https URLs can receive webhooks.', { scheme: url.protocol.replace(/:$/, '') });
  }
  if (url.hostname === '') throw webhookUrlInvalid('The URL has no host.', { url: raw });
  if (url.username !== '' || url.password !== '') throw webhookUrlInvalid('The URL must not carry a user name or password.');
  if (url.hash !== '') throw webhookUrlInvalid('The URL must not have a fragment (#…).');
  return url;
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** Strips the brackets URL keeps around an IPv6 literal. */
const bareHost = (hostname: string) => (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname);

export class WebhookUrlGuard {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  get allowsPrivate(): boolean {
    return this.allowPrivate;
  }

  /** The parsed URL when every address its host resolves to may be called; 422 otherwise. */
  async check(raw: string): Promise<URL> {
    const url = parseWebhookUrl(raw);
    const host = bareHost(url.hostname);
    let addresses: string[];
    if (isIP(host) !== 0) addresses = [host];
    else {
      try {
        addresses = await this.resolve(host);
      } catch {
        throw webhookUrlInvalid('The URL\'s host name does not resolve.', { host });
      }
      if (addresses.length === 0) throw webhookUrlInvalid('The URL\'s host name does not resolve.', { host });
    }
    for (const address of addresses) {
      const klass = addressClass(address);
      if (!isAllowedAddress(klass, this.allowPrivate)) {
        throw webhookUrlForbidden(`The URL resolves to a ${klass.replace('_', '-')} address, which webhooks may not call.`, { host, address, address_class: klass });
      }
    }
    return url;
  }
}
