import { describe, expect, it } from 'vitest';
import { ariConfigFromEnv, PlaceholderPasswordError } from '../../../src/adapters/telephony/ari/config.ts';

const single = (password: string | undefined, extra: Record<string, string> = {}) => ({
  ARI_URL: 'http://10.0.0.10:8088',
  ARI_USERNAME: 'calltrail',
  ...(password === undefined ? {} : { ARI_PASSWORD: password }),
  ARI_TRUNK_ENDPOINT: 'PJSIP/{number}@carrier',
  ...extra,
});

const production = { NODE_ENV: 'production' };
const strong = 'k3v9-Qm2x-Lr8t-Wp4z';

describe('ARI password in production', () => {
  it.each([
    ['the compose example', 'change-me'],
    ["ari.conf's example", 'CHANGE-ME-to-a-long-random-secret'],
    ['the compose trial file', 'compose-trial-only-not-a-secret'],
    ['empty', ''],
    ['a well-known default', 'asterisk'],
    ['a well-known default', 'secret'],
    ['too short', 'Xy7#kq9'],
  ])('refuses %s (%s), naming ARI_PASSWORD', (_label, password) => {
    const attempt = () => ariConfigFromEnv(single(password, production));
    expect(attempt).toThrow(PlaceholderPasswordError);
    expect(attempt).toThrow(/^ARI_PASSWORD: refusing to start in production/);
  });

  it('refuses an unset password', () => {
    expect(() => ariConfigFromEnv(single(undefined, production))).toThrow(/ARI_PASSWORD/);
  });

  it('names the node in ARI_NODES whose password is a placeholder', () => {
    const nodes = [
      { name: 'pbx1', url: 'http://10.0.0.10:8088', username: 'calltrail', password: strong },
      { name: 'pbx2', url: 'http://10.0.0.11:8088', username: 'calltrail', password: 'change-me' },
    ];
    const env = { ...production, ARI_NODES: JSON.stringify(nodes), ARI_TRUNK_ENDPOINT: 'PJSIP/{number}@carrier' };
    expect(() => ariConfigFromEnv(env)).toThrow(/^ARI_NODES\[1\]\.password \(node pbx2\)/);
  });

  it('accepts a long random password in production', () => {
    expect(ariConfigFromEnv(single(strong, production)).nodes[0]!.password).toBe(strong);
  });

  it('lets a placeholder through outside production (the compose trial, a laptop)', () => {
    expect(ariConfigFromEnv(single('change-me')).nodes[0]!.password).toBe('change-me');
    expect(ariConfigFromEnv(single('change-me', { NODE_ENV: 'development' })).nodes[0]!.password).toBe('change-me');
  });
});
