import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // tfjs-wasm keeps global state per process: separate processes are the safe isolation.
    pool: 'forks',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    setupFiles: ['test/yieldToRunner.ts'],
    // The JSON report is what .ci/run counts passed and failed tests from.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
