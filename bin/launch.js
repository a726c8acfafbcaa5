import { existsSync } from 'node:fs';

/**
 * Runs `dist/<entry>.js` when it exists, else `src/<entry>.ts` through tsx's loader. Shared by
 * `npm start` and the `calltrail` command so both choose the same way.
 */
export async function launch(entry) {
  const compiled = new URL(`../dist/${entry}.js`, import.meta.url);
  if (existsSync(compiled)) {
    await import(compiled.href);
    return;
  }
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL(`../src/${entry}.ts`, import.meta.url).href);
}
