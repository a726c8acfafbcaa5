#!/usr/bin/env node
// Builds the web console (console/ → console/dist). Run by `npm install` (prepare) and by
// `npm run build:console`. Where the console's sources or Vite are absent — a production-only
// install (`npm ci --omit=dev`), or a Docker stage that copies package.json first — it says so
// and leaves the engine to serve its "not built" page, instead of failing the install.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = `${root}console/vite.config.ts`;
if (!existsSync(config)) {
  console.log('console build skipped: console/ is not here');
  process.exit(0);
}
const require = createRequire(import.meta.url);
try {
  require.resolve('vite/package.json', { paths: [root] });
} catch {
  console.log('console build skipped: vite is not installed (a production-only install); the engine serves a "not built" page at /console');
  process.exit(0);
}
// `--out-dir DIR` builds elsewhere (the build test does, so it never empties the dist a running engine serves).
const outFlag = process.argv.indexOf('--out-dir');
const outDir = outFlag > 0 ? process.argv[outFlag + 1] : undefined;
const { build } = await import('vite');
await build({ configFile: config, logLevel: 'warn', ...(outDir ? { build: { outDir } } : {}) });
console.log(`console built into ${outDir ?? 'console/dist'}`);
