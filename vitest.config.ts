import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are memory-heavy; forks keep each file's WASM heap apart.
    pool: 'forks',
    // Vitest's default on 2 cores is one worker, which leaves the CPU idle while e2e files wait on
    // simulated calls; two keep both cores busy and roughly halve the suite's wall time.
    maxWorkers: 2,
  },
});
