import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ariConfigFromEnv } from '../../src/adapters/telephony/ari/config.ts';
import { placeholderReason } from '../../src/adapters/telephony/ari/placeholder-passwords.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

type Service = {
  env_file?: string | string[];
  environment?: Record<string, string | number>;
  entrypoint?: string[];
  command?: string[];
  volumes?: string[];
};
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const asterisk = compose.services['asterisk']!;
const app = compose.services['app']!;

/** KEY=VALUE lines, as compose reads an env_file (no quotes in ours). */
function parseEnvFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}

/** Sections of an Asterisk .conf file, each a map of its settings. */
function parseConf(text: string): Map<string, Record<string, string>> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) sections.set(section[1]!, (current = {}));
    else if (current && line.includes('=')) current[line.slice(0, line.indexOf('=')).trim()] = line.slice(line.indexOf('=') + 1).trim();
  }
  return sections;
}

const envFiles = (service: Service) => [service.env_file ?? []].flat();
const mountTarget = (service: Service, source: string) =>
  service.volumes?.map((v) => v.split(':')).find(([from]) => from === source)?.[1];

const scratch = mkdtempSync(join(tmpdir(), 'calltrail-ari-conf-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the compose entrypoint script on this machine, writing ari.conf into the scratch folder. */
function renderAriConf(env: Record<string, string>): { status: number | null; stderr: string; conf: string } {
  const target = join(scratch, `ari-${Math.random().toString(36).slice(2)}.conf`);
  const result = spawnSync('sh', [join(root, 'deploy/asterisk/start-asterisk.sh')], {
    env: { PATH: process.env.PATH ?? '', ARI_CONF_TEMPLATE: join(root, 'deploy/asterisk/ari.conf'), ARI_CONF: target, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, conf: existsSync(target) ? readFileSync(target, 'utf8') : '' };
}

describe('docker-compose.yml and deploy/asterisk: one ARI login for the engine and Asterisk', () => {
  const ariEnv = parseEnvFile(read('deploy/asterisk/ari.env'));

  it('gives the same env file to the engine and to Asterisk, and sets the login nowhere else', () => {
    expect(envFiles(app)).toContain('deploy/asterisk/ari.env');
    expect(envFiles(asterisk)).toContain('deploy/asterisk/ari.env');
    for (const service of Object.values(compose.services)) {
      expect(Object.keys(service.environment ?? {})).not.toContain('ARI_PASSWORD');
      expect(Object.keys(service.environment ?? {})).not.toContain('ARI_USERNAME');
    }
    expect(Object.keys(ariEnv).sort()).toEqual(['ARI_PASSWORD', 'ARI_USERNAME']);
  });

  it('mounts files that exist, and writes ari.conf through the start script instead of mounting it', () => {
    for (const volume of Object.values(compose.services).flatMap((s) => s.volumes ?? [])) {
      const source = volume.split(':')[0]!;
      if (source.startsWith('./')) expect(existsSync(join(root, source)), source).toBe(true);
    }
    expect(asterisk.volumes?.some((v) => v.split(':')[1] === '/etc/asterisk/ari.conf')).toBe(false);
    const script = read('deploy/asterisk/start-asterisk.sh');
    expect(asterisk.entrypoint).toEqual(['/bin/sh', mountTarget(asterisk, './deploy/asterisk/start-asterisk.sh')]);
    expect(script).toContain(`ARI_CONF_TEMPLATE:-${mountTarget(asterisk, './deploy/asterisk/ari.conf')}`);
    expect(asterisk.command?.[0]).toBe('asterisk');
  });

  it('the start script writes ari.conf with exactly the login the engine reads from the same file', () => {
    const { status, stderr, conf } = renderAriConf(ariEnv);
    expect([status, stderr]).toEqual([0, '']);
    const user = parseConf(conf).get(ariEnv['ARI_USERNAME']!);
    expect(user).toMatchObject({ type: 'user', read_only: 'no', password: ariEnv['ARI_PASSWORD'], password_format: 'plain' });
    expect(conf).not.toContain('CHANGE-ME');

    const engine = ariConfigFromEnv({ ...(app.environment as Record<string, string>), ...ariEnv });
    expect(engine.nodes[0]).toMatchObject({ username: ariEnv['ARI_USERNAME'], password: user!['password'] });
  });

  it('copies any password byte for byte, and refuses to run without one', () => {
    const awkward = `p&a|s\\s/w"o'r$d#1=x`;
    const { conf } = renderAriConf({ ARI_USERNAME: 'dialer', ARI_PASSWORD: awkward });
    expect(parseConf(conf).get('dialer')?.['password']).toBe(awkward);
    // ";" starts a comment in Asterisk's config files; escaped, Asterisk reads it back as ";".
    expect(renderAriConf({ ARI_USERNAME: 'dialer', ARI_PASSWORD: 'semi;colon' }).conf).toContain('password = semi\\;colon\n');

    const missing = renderAriConf({ ARI_USERNAME: 'dialer' });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('ARI_PASSWORD');
  });

  it("the trial password in ari.env is one a production engine refuses", () => {
    expect(placeholderReason(ariEnv['ARI_PASSWORD']!)).not.toBeNull();
  });

  it('http.conf listens where the compose network reaches it, on the port the engine dials', () => {
    const http = parseConf(read('deploy/asterisk/http.conf')).get('general')!;
    expect(http['bindaddr']).toBe('0.0.0.0');
    expect(new URL(String(app.environment!['ARI_URL'])).port).toBe(http['bindport']);
  });
});

/** `docker compose config` validates the file without a daemon; skipped where no compose is installed. */
function composeCommand(): string[] | null {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(command[0]!, [...command.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return command;
  }
  return null;
}
const dockerCompose = composeCommand();
if (!dockerCompose) console.log('Skipping `docker compose config`: neither `docker compose` nor `docker-compose` is installed here');

describe.skipIf(!dockerCompose)('docker compose config', () => {
  it('accepts docker-compose.yml and resolves the same ARI login for the engine and Asterisk', () => {
    const result = spawnSync(dockerCompose![0]!, [...dockerCompose!.slice(1), '-f', join(root, 'docker-compose.yml'), 'config'], {
      encoding: 'utf8',
      cwd: root,
    });
    expect(result.status, result.stderr).toBe(0);
    const resolved = parse(result.stdout) as { services: Record<string, { environment: Record<string, string> }> };
    const login = (service: string) => {
      const { ARI_USERNAME, ARI_PASSWORD } = resolved.services[service]!.environment;
      return { ARI_USERNAME, ARI_PASSWORD };
    };
    expect(login('app')).toEqual(parseEnvFile(read('deploy/asterisk/ari.env')));
    expect(login('asterisk')).toEqual(login('app'));
  });
});
