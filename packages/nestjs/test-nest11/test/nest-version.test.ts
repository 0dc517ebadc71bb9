import { createRequire } from 'node:module';
import { ExpressAdapter } from '@nestjs/platform-express';
import { AuthenticationError, renderAuthError } from '@remem/auth-core';
import { expect, test } from 'vitest';
import { RememAuthException } from '../../src/index.js';

const require = createRequire(import.meta.url);

test('tests run on Nest 11', () => {
  const { version } = require('@nestjs/core/package.json') as { version: string };

  expect(version).toMatch(/^11\./);
  // The alias in vitest.config.ts resolves the tests' imports to this Nest 11 install.
  expect(ExpressAdapter).toBe(require('@nestjs/platform-express').ExpressAdapter);
});

test('package source imports Nest 11', () => {
  const error = new AuthenticationError('missing_token', 'No token provided');
  const exception = new RememAuthException(error, renderAuthError(error));

  expect(exception).toBeInstanceOf(require('@nestjs/common').HttpException);
});
