import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is served by the engine under /console/ (and its index also at /). Assets are
// hashed files under /console/assets/, so the Content-Security-Policy can stay at 'self' with no
// inline script: Vite's module preload polyfill is the one inline snippet it would add, so it is off.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    target: 'es2022',
    reportCompressedSize: false,
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/media': 'http://127.0.0.1:3000' } },
});
