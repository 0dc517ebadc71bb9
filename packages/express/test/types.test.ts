import type { AuthenticatedUser } from '@remem/auth-core';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import express4 from 'express4';
import { expectTypeOf, test } from 'vitest';
import type {} from '../src/augment.js';
import {
  authErrorHandler,
  getUser,
  install,
  rememAuth,
  requireScopes,
  requireUser,
  type WithRememAuth,
} from '../src/index.js';

test('middleware types', () => {
  expectTypeOf(rememAuth).returns.toEqualTypeOf<RequestHandler>();
  expectTypeOf(requireScopes).returns.toEqualTypeOf<RequestHandler>();
  expectTypeOf(authErrorHandler).returns.toEqualTypeOf<ErrorRequestHandler>();
});

test('user accessors', () => {
  expectTypeOf(getUser).returns.toEqualTypeOf<AuthenticatedUser | null>();
  expectTypeOf(requireUser).returns.toEqualTypeOf<AuthenticatedUser>();
  expectTypeOf<express.Request['rememAuth']>().toEqualTypeOf<
    AuthenticatedUser | null | undefined
  >();
  expectTypeOf<WithRememAuth<'caller'>>().toEqualTypeOf<{
    caller?: AuthenticatedUser | null;
  }>();
});

test('install returns the app of either major', () => {
  expectTypeOf(install(express())).toEqualTypeOf<express.Express>();
  expectTypeOf(install(express4())).toEqualTypeOf<ReturnType<typeof express4>>();
});

test('misuse rejected by the types', () => {
  // Never called: the checks are the @ts-expect-error lines, which typecheck verifies.
  const misuse = () => {
    // @ts-expect-error scopes is a list, not a space-separated string
    rememAuth({ scopes: 'notes:read' });
    // @ts-expect-error only the default and openai formats exist
    authErrorHandler({ format: 'xml' });
    // @ts-expect-error requireScopes takes scope strings
    requireScopes(['notes:read']);
  };
  expectTypeOf(misuse).toBeFunction();
});
