import { AuthConfigError, AuthVerifier, silentLogger } from '@remem/auth-core';
import type { RouteShorthandOptions } from 'fastify';
import { expect, test } from 'vitest';
import { type RememAuthOptions, rememAuth } from '../src/index.js';
import { createApp } from './helpers.js';

const verifier = new AuthVerifier({ staticTokens: ['token-1'], logger: silentLogger });

async function registrationError(options: unknown): Promise<AuthConfigError> {
  const app = createApp();
  const error = await app.register(rememAuth, options as RememAuthOptions).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AuthConfigError)) throw new Error('expected an AuthConfigError');
  return error;
}

test.each([
  {
    options: { verifier, scope: ['notes:read'] },
    problem: 'Unknown option "scope" of @remem/auth-fastify; remove it or fix its name.',
  },
  {
    options: { verifier, config: {} },
    problem: 'Options "config" and "verifier" are both set; give only one.',
  },
  { options: { config: 'REMEM_AUTH' }, problem: 'Option "config" must be an AuthConfig object.' },
  {
    options: { verifier: {} },
    problem: 'Option "verifier" must have a verifyToken method, like an AuthVerifier.',
  },
  { options: { verifier, global: 'yes' }, problem: 'Option "global" must be true or false.' },
  { options: { verifier, optional: 1 }, problem: 'Option "optional" must be true or false.' },
  {
    options: { verifier, scopes: 'notes:read' },
    problem: 'Option "scopes" must be an array of scope strings, such as ["notes:read"].',
  },
  {
    options: { verifier, scopes: ['notes:read notes:write'] },
    problem:
      'Option "scopes" contains "notes:read notes:write", which is not a scope token; give one scope per entry, without spaces or quotes.',
  },
  {
    options: { verifier, format: 'json' },
    problem: 'Option "format" must be one of "default", "openai".',
  },
  {
    options: { verifier, errors: 'send' },
    problem: 'Option "errors" must be one of "reply", "throw".',
  },
  { options: { verifier, realm: 5 }, problem: 'Option "realm" must be a string.' },
  {
    options: { verifier, userProperty: 'remem-auth' },
    problem: 'Option "userProperty" must be a JavaScript identifier, such as "rememAuth".',
  },
])('invalid option: $problem', async ({ options, problem }) => {
  const error = await registrationError(options);

  expect(error.problems).toEqual([problem]);
});

test('every problem listed at once', async () => {
  const error = await registrationError({ verifier, global: 'yes', format: 'xml' });

  expect(error.problems).toHaveLength(2);
  expect(error.message).toBe(
    'Invalid remem-auth configuration:\n  - Option "global" must be true or false.\n  - Option "format" must be one of "default", "openai".',
  );
});

test('invalid configuration from config', async () => {
  const app = createApp();

  const error = await app.register(rememAuth, { config: { idps: [{ name: 'x' } as never] } }).then(
    () => undefined,
    (reason: unknown) => reason,
  );

  expect(error).toBeInstanceOf(AuthConfigError);
});

test('configuration read from the environment', async () => {
  const saved = process.env.REMEM_AUTH_STATIC_TOKENS;
  process.env.REMEM_AUTH_STATIC_TOKENS = 'env-token';
  try {
    const app = createApp();
    await app.register(rememAuth, { global: true });
    app.get('/me', async (request) => ({ method: request.rememAuth?.authMethod }));

    const response = await app.inject({
      url: '/me',
      headers: { authorization: 'Bearer env-token' },
    });

    expect(response.json()).toEqual({ method: 'static' });
  } finally {
    if (saved === undefined) delete process.env.REMEM_AUTH_STATIC_TOKENS;
    else process.env.REMEM_AUTH_STATIC_TOKENS = saved;
  }
});

test('register options of Fastify accepted', async () => {
  const app = createApp();

  await app.register(rememAuth, { verifier, prefix: '/api', logLevel: 'warn' } as never);

  expect(app.hasDecorator('authenticate')).toBe(true);
});

test('request decorator clash named', async () => {
  const app = createApp();
  app.decorateRequest('user', null);

  const error = await app.register(rememAuth, { verifier, userProperty: 'user' }).then(
    () => undefined,
    (reason: unknown) => reason,
  );

  expect(error).toBeInstanceOf(AuthConfigError);
  expect((error as AuthConfigError).problems).toEqual([
    'Requests already have a "user" decorator (another plugin set it); choose another name with the "userProperty" option.',
  ]);
});

test.each([
  {
    config: { rememAuth: { scope: ['notes:read'] } },
    problem:
      'config.rememAuth of route GET /notes has an unknown key "scope"; use "optional" or "scopes".',
  },
  {
    config: { rememAuth: 'optional' },
    problem: 'config.rememAuth of route GET /notes must be true, false or { optional, scopes }.',
  },
  {
    config: { rememAuth: { optional: 'yes' } },
    problem: 'config.rememAuth of route GET /notes: "optional" must be true or false.',
  },
  {
    config: { rememAuth: { scopes: 'notes:read' } },
    problem:
      'config.rememAuth of route GET /notes: "scopes" must be an array of scope strings, such as ["notes:read"].',
  },
])('invalid route config: $problem', async ({ config, problem }) => {
  const app = createApp();
  await app.register(rememAuth, { verifier });

  let error: unknown;
  try {
    app.get('/notes', { config: config as never }, async () => []);
  } catch (thrown) {
    error = thrown;
  }

  expect(error).toBeInstanceOf(AuthConfigError);
  expect((error as AuthConfigError).problems).toEqual([problem]);
});

test('route config typed', () => {
  const valid: RouteShorthandOptions = { config: { rememAuth: { scopes: ['notes:read'] } } };
  // @ts-expect-error `scope` is not a key of config.rememAuth; the key is `scopes`.
  const typo: RouteShorthandOptions = { config: { rememAuth: { scope: ['notes:read'] } } };

  expect(valid.config).not.toEqual(typo.config);
});
