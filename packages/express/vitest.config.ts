import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: { name: 'express', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
