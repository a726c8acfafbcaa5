import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KNOWN_SETTINGS, validateSettings } from '../../src/app/settings.ts';

/** The one check of every setting at start, the exit it causes, and the README's one table of them. */

const failure = (env: NodeJS.ProcessEnv): string => {
  try {
    validateSettings(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('validateSettings', () => {
  it('accepts nothing set, every default, and variables that are not ours', () => {
    expect(() => validateSettings({})).not.toThrow();
    expect(() => validateSettings({ PATH: '/usr/bin', HOME: '/root', PORT: '8080', LOG_LEVEL: 'debug', METRICS_ENABLED: 'false' })).not.toThrow();
  });

  it('names a malformed setting of each module', () => {
    expect(failure({ PORT: 'eighty' })).toMatch(/PORT:/);
    expect(failure({ LOG_LEVEL: 'loud' })).toMatch(/LOG_LEVEL:/);
    expect(failure({ METRICS_ENABLED: 'maybe' })).toMatch(/METRICS_ENABLED:/);
    expect(failure({ JWT_TTL_SECONDS: '5' })).toMatch(/JWT_TTL_SECONDS:/);
    expect(failure({ AUDIO_MAX_UPLOAD_BYTES: '-1' })).toMatch(/AUDIO_MAX_UPLOAD_BYTES:/);
    expect(failure({ CONTACT_IMPORT_MAX_ROWS: 'lots' })).toMatch(/CONTACT_IMPORT_MAX_ROWS:/);
    expect(failure({ DNC_OPERATOR_DEFAULT_COUNTRY: 'XX' })).toMatch(/DNC_OPERATOR_DEFAULT_COUNTRY:/);
  });

  it('names an unknown setting in our namespace, with the near one', () => {
    expect(failure({ ARI_PASWORD: 'x' })).toMatch(/ARI_PASWORD: unknown setting \(did you mean ARI_PASSWORD\?\)/);
    expect(failure({ RATE_LIMIT_CALLS_PER_MINUTES: '5' })).toMatch(/RATE_LIMIT_CALLS_PER_MINUTES: unknown setting \(did you mean RATE_LIMIT_CALLS_PER_MINUTE\?\)/);
    expect(failure({ METRICS_PORT: '9100' })).toMatch(/METRICS_PORT: unknown setting/);
  });

  it('stops `npm start` with exit 1 naming the setting, before anything starts', () => {
    for (const [name, value] of [['CAMPAIGN_POLL_MSS', '100'], ['READ_YOUR_WRITES_WAIT_MS', 'soon']] as const) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], { encoding: 'utf8', env: { PATH: process.env.PATH, [name]: value, DATA_DIR: '/nonexistent/never-created' }, timeout: 60_000 });
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(run.stderr).toContain(name);
      expect(run.stdout).not.toContain('listening');
    }
  }, 90_000);
});

describe('the README', () => {
  it('documents every setting in its one configuration table, and nothing that is not one', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    const firstColumns = section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split('|')[1]!);
    const documented = new Set(firstColumns.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)));
    expect([...KNOWN_SETTINGS].filter((name) => !documented.has(name)), 'settings missing from the README table').toEqual([]);
    expect([...documented].filter((name) => !KNOWN_SETTINGS.has(name)), 'README rows that are not settings').toEqual([]);
  });
});
