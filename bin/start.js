#!/usr/bin/env node
// `npm start`: the compiled engine (dist/main.js) when built, else src/main.ts through tsx.
import { launch } from './launch.js';

await launch('main');
