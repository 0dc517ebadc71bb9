import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['development'] },
  ssr: { resolve: { conditions: ['development'] } },
  test: { name: 'parity', include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
