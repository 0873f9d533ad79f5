import { defineConfig } from 'vitest/config';

/**
 * The interop tier (`npm run test:interop`): our output judged by the real consumers, HAPI FHIR's
 * validator and JPA server (Java) and the Python NLP tools. Global setup installs them into
 * .interop/; test files run one at a time so only one consumer JVM runs at once on 2 cores.
 */
export default defineConfig({
  test: {
    include: ['test/interop/**/*.test.ts'],
    globalSetup: ['test/interop/global-setup.ts'],
    testTimeout: 3_600_000,
    hookTimeout: 900_000,
    pool: 'forks',
    fileParallelism: false,
    poolOptions: { forks: { singleFork: true } },
  },
});
