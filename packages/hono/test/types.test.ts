import type { AuthenticatedUser } from '@remem/auth-core';
import { Hono } from 'hono';
import { expectTypeOf, test } from 'vitest';
import { type RememAuthEnv, type RememAuthVariables, rememAuth } from '../src/index.js';

const config = { staticTokens: ['type-test-token'] };

test('c.get types the user', () => {
  const app = new Hono<RememAuthEnv>();
  app.get('/me', rememAuth({ config }), (c) => {
    expectTypeOf(c.get('rememAuth')).toEqualTypeOf<AuthenticatedUser | null>();
    return c.text('ok');
  });
});

test('route middleware types the user without an app Env', () => {
  const app = new Hono();
  app.get('/me', rememAuth({ config }), (c) => {
    expectTypeOf(c.get('rememAuth')).toEqualTypeOf<AuthenticatedUser | null>();
    return c.text('ok');
  });
});

test('config function sees the bindings', () => {
  type Bindings = { REMEM_AUTH_STATIC_TOKENS: string };
  const app = new Hono<{ Bindings: Bindings; Variables: RememAuthVariables }>();
  app.use(
    rememAuth<{ Bindings: Bindings }>({
      config: (c) => {
        expectTypeOf(c.env.REMEM_AUTH_STATIC_TOKENS).toEqualTypeOf<string>();
        return { staticTokens: [c.env.REMEM_AUTH_STATIC_TOKENS] };
      },
    }),
  );
  app.get('/me', (c) => c.text(c.get('rememAuth')?.subject ?? 'guest'));
});

test('unknown variable name rejected', () => {
  const app = new Hono<RememAuthEnv>();
  app.get('/me', (c) => {
    // @ts-expect-error: only `rememAuth` is declared.
    c.get('user');
    return c.text('ok');
  });
});
