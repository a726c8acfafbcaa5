import { describe, expect, it } from 'vitest';
import { addressClass, parseWebhookUrl, WebhookUrlGuard } from '../../src/adapters/webhooks/url-guard.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'accepted';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

/** A resolver with fixed answers: a public name, a name that points home (DNS rebinding), a mixed one. */
const names: Record<string, string[]> = {
  'hooks.example.com': ['93.184.215.14'],
  'rebind.example.com': ['127.0.0.1'],
  'mixed.example.com': ['93.184.215.14', '10.1.2.3'],
  'v6home.example.com': ['::1'],
};
const resolver = async (host: string) => {
  const found = names[host];
  if (!found) throw new Error('ENOTFOUND');
  return found;
};

describe('the SSRF address classifier', () => {
  it.each([
    ['93.184.215.14', 'public'],
    ['2606:2800:220:1::1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['fe80::1', 'link_local'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(addressClass(address)).toBe(expected);
  });
});

describe('the webhook URL guard', () => {
  const strict = new WebhookUrlGuard(false, resolver);
  const lenient = new WebhookUrlGuard(true, resolver);

  it('accepts a public http or https URL', async () => {
    expect((await strict.check('https://hooks.example.com/calltrail')).hostname).toBe('hooks.example.com');
    expect(await codeOf(strict.check('http://93.184.215.14:8080/x'))).toBe('accepted');
  });

  it.each([
    ['not a url', 'WEBHOOK_URL_INVALID'],
    ['/relative/path', 'WEBHOOK_URL_INVALID'],
    ['ftp://hooks.example.com/x', 'WEBHOOK_URL_INVALID'],
    ['file:///etc/passwd', 'WEBHOOK_URL_INVALID'],
    ['javascript:alert(1)', 'WEBHOOK_URL_INVALID'],
    ['https://user:pw@hooks.example.com/', 'WEBHOOK_URL_INVALID'],
    ['https://hooks.example.com/#frag', 'WEBHOOK_URL_INVALID'],
    ['https://does-not-resolve.example.com/', 'WEBHOOK_URL_INVALID'],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, 'WEBHOOK_URL_INVALID'],
  ])('refuses %s as %s', async (url, code) => {
    expect(await codeOf(strict.check(url))).toBe(code);
  });

  it.each([
    ['loopback', 'http://127.0.0.1:9000/hook'],
    ['loopback v6', 'http://[::1]/hook'],
    ['loopback as mapped v6', 'http://[::ffff:127.0.0.1]/hook'],
    ['private', 'http://10.0.0.5/hook'],
    ['private 192.168', 'http://192.168.0.10/hook'],
    ['link-local', 'http://169.254.10.10/hook'],
    ['metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['unspecified', 'http://0.0.0.0:3000/'],
    ['a hostname resolving to 127.0.0.1', 'https://rebind.example.com/hook'],
    ['a hostname with one private address among public ones', 'https://mixed.example.com/hook'],
    ['a hostname resolving to ::1', 'https://v6home.example.com/hook'],
    ['localhost', 'http://localhost:3000/'],
  ])('refuses %s with WEBHOOK_URL_FORBIDDEN', async (_what, url) => {
    const guard = url.includes('localhost') ? new WebhookUrlGuard(false, async () => ['127.0.0.1']) : strict;
    expect(await codeOf(guard.check(url))).toBe('WEBHOOK_URL_FORBIDDEN');
  });

  it('WEBHOOK_ALLOW_PRIVATE lets loopback, private and link-local through, never metadata or 0.0.0.0', async () => {
    expect(await codeOf(lenient.check('http://127.0.0.1:9000/hook'))).toBe('accepted');
    expect(await codeOf(lenient.check('http://10.0.0.5/hook'))).toBe('accepted');
    expect(await codeOf(lenient.check('https://rebind.example.com/hook'))).toBe('accepted');
    expect(await codeOf(lenient.check('http://169.254.169.254/'))).toBe('WEBHOOK_URL_FORBIDDEN');
    expect(await codeOf(lenient.check('http://0.0.0.0/'))).toBe('WEBHOOK_URL_FORBIDDEN');
  });

  it('parses without resolving: the shape check alone', () => {
    expect(parseWebhookUrl('HTTPS://Hooks.Example.com/a?b=1').toString()).toBe('https://hooks.example.com/a?b=1');
  });
});
