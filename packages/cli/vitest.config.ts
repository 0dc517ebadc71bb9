import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    name: 'cli',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/build-binary.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
