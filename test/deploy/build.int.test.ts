import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The compiled build and what runs it: `tsc -p tsconfig.build.json` emits runnable JavaScript
 * (TypeScript 7's tsc, rewriting `.ts` imports to `.js`), the compiled CLI answers --help, the
 * `calltrail` bin works with and without a build, and the Dockerfile builds in stages and ships
 * production dependencies only.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the checkout, so the compiled code finds node_modules and package.json as dist/ would.
const outDir = join(root, `dist-test-${process.pid}`);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(command, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

describe('the compiled build', () => {
  it('compiles src to JavaScript whose CLI and OpenAPI document run without tsx', () => {
    const built = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', outDir]);
    expect(built.status, built.stdout + built.stderr).toBe(0);
    expect(existsSync(join(outDir, 'main.js'))).toBe(true);
    expect(readFileSync(join(outDir, 'main.js'), 'utf8')).toMatch(/from '\.\/app\/config\.js'/);

    const help = run(process.execPath, [join(outDir, 'cli/main.js'), '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/verify/);
    expect(help.stdout).toMatch(/replay/);

    const script = `import { buildOpenApiDocument } from ${JSON.stringify(join(outDir, 'http/openapi/document.js'))}; console.log(Object.keys(buildOpenApiDocument('x').paths).length);`;
    const document = run(process.execPath, ['--input-type=module', '-e', script]);
    expect(document.status, document.stderr).toBe(0);
    expect(Number(document.stdout.trim())).toBeGreaterThan(40);
  }, 180_000);

  it('`calltrail --help` works from the bin (source through tsx when there is no dist/)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.bin.calltrail).toBe('bin/calltrail.js');
    expect(pkg.scripts.start).toBe('node bin/start.js');
    const help = run(process.execPath, [join(root, pkg.bin.calltrail), '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/verify/);
  }, 60_000);
});

describe('the Dockerfile', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in stages and the runtime holds only production dependencies and the compiled code', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runtime = stages.at(-1)!;
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(runtime).toMatch(/COPY --from=\S+ \/app\/node_modules/);
    expect(runtime).toMatch(/COPY --from=\S+ \/app\/dist/);
    expect(runtime).not.toMatch(/npm (ci|install)(?! --omit=dev)/);
    expect(runtime).not.toMatch(/COPY src|tsx/);
    expect(runtime).toMatch(/CMD \["node", "dist\/main\.js"\]/);
    // The stage the runtime copies node_modules from installs without dev dependencies.
    const from = /COPY --from=(\S+) \/app\/node_modules/.exec(runtime)![1]!;
    const depsStage = stages.find((stage) => new RegExp(`AS ${from}\\b`).test(stage.split('\n')[0]!))!;
    expect(depsStage).toMatch(/npm ci --omit=dev/);
  });

  it('builds the web console in the build stage and ships only its built files', () => {
    const build = stages.find((stage) => / AS build\b/.test(` ${stage.split('\n')[0]!}`))!;
    // The prepare step that npm ci runs needs its script before console/ is there.
    expect(build.indexOf('COPY scripts/build-console.mjs')).toBeLessThan(build.indexOf('RUN npm ci'));
    expect(build).toMatch(/COPY console \.\/console\nRUN npm run build:console/);
    const runtime = stages.at(-1)!;
    expect(runtime).toMatch(/COPY --from=build \/app\/console\/dist \.\/console\/dist/);
    expect(runtime).not.toMatch(/COPY console /);
  });
});

describe('the console build script', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'calltrail-console-build-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('builds the console with no inline script', () => {
    const outDir = join(scratch, 'dist');
    const built = run(process.execPath, [join(root, 'scripts/build-console.mjs'), '--out-dir', outDir]);
    expect(built.status, built.stderr).toBe(0);
    const index = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(index).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js">/);
    expect(index.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
  }, 120_000);

  it('skips with a reason, and succeeds, where console/ is absent (the Docker stages before it is copied)', () => {
    mkdirSync(join(scratch, 'bare/scripts'), { recursive: true });
    copyFileSync(join(root, 'scripts/build-console.mjs'), join(scratch, 'bare/scripts/build-console.mjs'));
    const skipped = run(process.execPath, [join(scratch, 'bare/scripts/build-console.mjs')]);
    expect(skipped.status, skipped.stderr).toBe(0);
    expect(skipped.stdout).toMatch(/console build skipped: console\/ is not here/);
  });
});
