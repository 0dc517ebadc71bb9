import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'consumers',
    include: ['test/**/*.test.ts'],
    // One npm install from the registry plus a build and a tsc run: minutes, not seconds.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
