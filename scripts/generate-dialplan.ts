/**
 * `npm run dialplan:generate`: rewrites the generated test contexts of deploy/asterisk/extensions.conf
 * from the ARI simulator's rules table, so Asterisk and the simulator answer a number the same way.
 * `--check` changes nothing and exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { currentExtensionsConf, EXTENSIONS_CONF } from './dialplan/extensions-conf.ts';

const path = fileURLToPath(EXTENSIONS_CONF);
const committed = readFileSync(path, 'utf8');
const wanted = currentExtensionsConf(committed);

if (process.argv.includes('--check')) {
  if (wanted !== committed) {
    console.error(`${path} is out of date with the simulator's rules: run npm run dialplan:generate`);
    process.exit(1);
  }
  console.log(`${path} is up to date`);
} else {
  writeFileSync(path, wanted);
  console.log(wanted === committed ? `${path} was already up to date` : `${path} rewritten`);
}
