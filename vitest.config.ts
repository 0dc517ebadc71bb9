import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'packages/nestjs/test-nest11', 'examples/*', 'tests/*', 'bench'],
  },
});
