import { configDefaults, defineConfig } from 'vitest/config';
import { E2E_FILES } from './test/support/e2e-files.js';

/**
 * Two tiers, both under `npm test`: `unit` (`npm run test:unit`, seconds, no build and no CLI
 * cohorts) and `e2e` (`npm run test:e2e`: the compiled CLI, worker threads and generated cohorts;
 * test/e2e-setup.ts builds dist/ and the shared cohorts once). The interop tier installs Java and
 * Python consumers: its own command, npm run test:interop.
 */
export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], exclude: [...configDefaults.exclude, 'test/interop/**', ...E2E_FILES] },
      },
      {
        extends: true,
        test: { name: 'e2e', include: [...E2E_FILES], globalSetup: ['test/global-setup.ts', 'test/e2e-setup.ts'] },
      },
    ],
  },
});
