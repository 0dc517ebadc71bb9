import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// Nest's packages import each other by name, so a second major cannot be installed beside the
// first under an alias. This project runs the package's own tests from `..` and points every
// `@nestjs/*` import of the tests and of the package's source at Nest 11, installed here.
const require = createRequire(import.meta.url);
const NEST_PACKAGES = ['common', 'core', 'testing', 'platform-express', 'platform-fastify'];

export default defineProject({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: {
    conditions: ['development'],
    alias: NEST_PACKAGES.map((name) => ({
      find: new RegExp(`^@nestjs/${name}$`),
      replacement: require.resolve(`@nestjs/${name}`),
    })),
  },
  ssr: { resolve: { conditions: ['development'] } },
  test: {
    name: 'nestjs-11',
    include: ['test/**/*.test.ts', 'test-nest11/test/**/*.test.ts'],
    // The consumer tests load the built package, whose imports resolve to the Nest 12 that
    // packages/nestjs installs.
    exclude: ['test/consumers.test.ts'],
    testTimeout: 20_000,
  },
});
