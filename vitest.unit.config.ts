import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The fast level (`npm run test:unit`): every *.test.ts but the end-to-end ones (*.e2e.test.ts),
 * with no child process and no worker thread (test/unitGuard.ts refuses them).
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['**/node_modules/**', 'test/**/*.e2e.test.ts'],
      setupFiles: ['test/unitGuard.ts'],
      reporters: ['default'],
    },
  }),
);
