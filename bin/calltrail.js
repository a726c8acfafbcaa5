#!/usr/bin/env node
// The `calltrail` command: the compiled CLI when `npm run build` has made dist/, else the
// TypeScript source through tsx (a checkout without a build).
import { launch } from './launch.js';

await launch('cli/main');
