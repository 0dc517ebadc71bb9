import { createRequire } from 'node:module';
import { AuthConfigError, AuthVerifier, silentLogger } from '@remem/auth-core';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { authErrorHandler, rememAuth, requireScopes } from '../src/index.js';
import { EXPRESS_VERSIONS, STATIC_TOKEN, sendUser, serve } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function problemsOf(create: () => unknown): readonly string[] {
  try {
    create();
  } catch (error) {
    if (error instanceof AuthConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected an AuthConfigError');
}

const verifier = new AuthVerifier({ staticTokens: [STATIC_TOKEN], logger: silentLogger });

describe('rememAuth options', () => {
  test.each<{ name: string; options: Record<string, unknown>; problems: string[] }>([
    {
      name: 'unknown option',
      options: { verifier, scope: ['notes:read'] },
      problems: ['Unknown option "scope" of @remem/auth-express; remove it or fix its name.'],
    },
    {
      name: 'config and verifier',
      options: { verifier, config: {} },
      problems: ['Options "config" and "verifier" are both set; give only one.'],
    },
    {
      name: 'verifier without verifyToken',
      options: { verifier: {} },
      problems: ['Option "verifier" must have a verifyToken method, like an AuthVerifier.'],
    },
    {
      name: 'config not an object',
      options: { config: 'REMEM_AUTH_STATIC_TOKENS=x' },
      problems: ['Option "config" must be an AuthConfig object.'],
    },
    {
      name: 'optional not boolean',
      options: { verifier, optional: 'yes' },
      problems: ['Option "optional" must be true or false.'],
    },
    {
      name: 'scopes as a string',
      options: { verifier, scopes: 'notes:read' },
      problems: ['Option "scopes" must be an array of scope strings, such as ["notes:read"].'],
    },
    {
      name: 'scope with a space',
      options: { verifier, scopes: ['notes:read notes:write'] },
      problems: [
        'Option "scopes" contains "notes:read notes:write", which is not a scope token; give one scope per entry, without spaces or quotes.',
      ],
    },
    {
      name: 'unknown format',
      options: { verifier, format: 'json' },
      problems: ['Option "format" must be one of "default", "openai".'],
    },
    {
      name: 'realm not a string',
      options: { verifier, realm: 1 },
      problems: ['Option "realm" must be a string.'],
    },
    {
      name: 'userProperty not an identifier',
      options: { verifier, userProperty: 'remem-auth' },
      problems: ['Option "userProperty" must be a JavaScript identifier, such as "rememAuth".'],
    },
    ...['body', 'headers', 'constructor', '__proto__'].map((name) => ({
      name: `userProperty ${name}`,
      options: { verifier, userProperty: name },
      problems: [
        `Option "userProperty" is "${name}", which Node or Express already defines on the request; choose another name, such as "rememAuth".`,
      ],
    })),
    {
      name: 'several problems at once',
      options: { verifier, optional: 1, format: 'xml' },
      problems: [
        'Option "optional" must be true or false.',
        'Option "format" must be one of "default", "openai".',
      ],
    },
  ])('$name', ({ options, problems }) => {
    expect(problemsOf(() => rememAuth(options))).toEqual(problems);
  });

  test('invalid REMEM_AUTH variable fails at creation', () => {
    vi.stubEnv('REMEM_AUTH_VERIFY_EXP', 'maybe');

    expect(() => rememAuth()).toThrow(AuthConfigError);
  });
});

describe('authErrorHandler options', () => {
  test.each<{ name: string; options: Record<string, unknown>; problems: string[] }>([
    {
      name: 'unknown option',
      options: { formats: 'openai' },
      problems: [
        'Unknown option "formats" of authErrorHandler(); use "format", "realm" or "resourceMetadata".',
      ],
    },
    {
      name: 'unknown format',
      options: { format: 'OpenAI' },
      problems: ['Option "format" must be one of "default", "openai".'],
    },
    {
      name: 'resourceMetadata not a string',
      options: { resourceMetadata: new URL('http://127.0.0.1/') },
      problems: ['Option "resourceMetadata" must be a string.'],
    },
  ])('$name', ({ options, problems }) => {
    expect(problemsOf(() => authErrorHandler(options))).toEqual(problems);
  });
});

test('requireScopes rejects a scope with a quote', () => {
  expect(problemsOf(() => requireScopes('notes"read'))).toEqual([
    'requireScopes() contains "notes\\"read", which is not a scope token; give one scope per entry, without spaces or quotes.',
  ]);
});

test('Express majors under test', () => {
  const require = createRequire(import.meta.url);

  expect(require('express4/package.json').version).toMatch(/^4\./);
  expect(require('express/package.json').version).toMatch(/^5\./);
});

describe.each(EXPRESS_VERSIONS)('$name configuration sources', ({ create }) => {
  test('config option', async () => {
    const app = create();
    app.get(
      '/me',
      rememAuth({ config: { staticTokens: ['from-config'], logger: silentLogger } }),
      sendUser,
    );
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, {
      headers: { authorization: 'Bearer from-config' },
    });

    expect(response.status).toBe(200);
  });

  test('REMEM_AUTH environment by default', async () => {
    vi.stubEnv('REMEM_AUTH_STATIC_TOKENS', 'from-environment');
    const app = create();
    app.get('/me', rememAuth(), sendUser);
    const { origin } = await serve(app);

    const accepted = await fetch(`${origin}/me`, {
      headers: { authorization: 'Bearer from-environment' },
    });
    const rejected = await fetch(`${origin}/me`, { headers: { authorization: 'Bearer other' } });

    expect(accepted.status).toBe(200);
    expect(rejected.status).toBe(401);
  });
});
