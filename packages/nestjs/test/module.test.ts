import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthConfigError } from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  REMEM_AUTH_SETTINGS,
  RememAuthGuard,
  RememAuthModule,
  type RememAuthModuleOptions,
  type RememAuthSettings,
  RequireScopes,
} from '../src/index.js';
import { NotesController, PLATFORMS, STATIC_TOKEN, serve, verifierFor } from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

const AUTH_OPTIONS = 'AUTH_OPTIONS';

/** Stands for an application's configuration module, such as @nestjs/config. */
@Module({
  providers: [{ provide: AUTH_OPTIONS, useFactory: () => ({ format: 'openai' }) }],
  exports: [AUTH_OPTIONS],
})
class SettingsModule {}

describe.each(PLATFORMS)('$platform', (platform) => {
  test('forRootAsync with useFactory, inject and imports', async () => {
    const { origin } = await serve(platform, {
      imports: [
        RememAuthModule.forRootAsync({
          imports: [SettingsModule],
          inject: [AUTH_OPTIONS],
          useFactory: async (options: Pick<RememAuthModuleOptions, 'format'>) => ({
            ...options,
            verifier: verifierFor(idp),
          }),
          globalGuard: true,
        }),
      ],
      controllers: [NotesController],
    });

    const rejected = await fetch(`${origin}/me`);
    const accepted = await fetch(`${origin}/me`, {
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
    });

    expect(rejected.status).toBe(401);
    expect(await rejected.text()).toBe(
      JSON.stringify({
        error: {
          message: 'No token provided',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      }),
    );
    expect(accepted.status).toBe(200);
  });

  test('forRootAsync with useClass', async () => {
    @Injectable()
    class AuthOptionsFactory {
      create(): RememAuthModuleOptions {
        return { verifier: verifierFor(idp), scopes: ['api'] };
      }
    }
    const { origin } = await serve(platform, {
      imports: [RememAuthModule.forRootAsync({ useClass: AuthOptionsFactory, globalGuard: true })],
      controllers: [NotesController],
    });

    const response = await fetch(`${origin}/me`, {
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
    });

    expect(response.status).toBe(403);
  });

  test('without globalGuard routes stay open', async () => {
    const { origin } = await serve(platform, {
      imports: [RememAuthModule.forRoot({ verifier: verifierFor(idp) })],
      controllers: [NotesController],
    });

    const response = await fetch(`${origin}/me`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: null });
  });
});

test('isGlobal shares the guard with feature modules', async () => {
  @Module({ providers: [RememAuthGuard], exports: [RememAuthGuard] })
  class FeatureModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [
      RememAuthModule.forRoot({ verifier: verifierFor(idp), isGlobal: true }),
      FeatureModule,
    ],
  }).compile();
  try {
    const settings = moduleRef.get<RememAuthSettings>(REMEM_AUTH_SETTINGS);

    expect(moduleRef.select(FeatureModule).get(RememAuthGuard)).toBeInstanceOf(RememAuthGuard);
    expect(settings.render).toEqual({ format: 'default' });
    expect(settings.userProperty).toBe('rememAuth');
  } finally {
    await moduleRef.close();
  }
});

test('without isGlobal a feature module cannot build the guard', async () => {
  @Module({ providers: [RememAuthGuard] })
  class FeatureModule {}

  await expect(
    Test.createTestingModule({
      imports: [RememAuthModule.forRoot({ verifier: verifierFor(idp) }), FeatureModule],
    }).compile(),
  ).rejects.toThrow(/RememAuthGuard/);
});

test.each([
  {
    options: { format: 'xml' },
    problem: 'Option "format" must be one of "default", "openai".',
  },
  {
    options: { scopes: ['notes read'] },
    problem:
      'Option "scopes" contains "notes read", which is not a scope token; give one scope per entry, without spaces or quotes.',
  },
  {
    options: { verifier: {} },
    problem: 'Option "verifier" must have a verifyToken method, like an AuthVerifier.',
  },
  {
    options: { optional: 'yes' },
    problem: 'Option "optional" must be true or false.',
  },
  {
    options: { userProperty: 'the user' },
    problem: 'Option "userProperty" must be a JavaScript identifier, such as "rememAuth".',
  },
  {
    options: { realm: 1 },
    problem: 'Option "realm" must be a string.',
  },
  {
    options: { fromat: 'openai' },
    problem: 'Unknown option "fromat" of @remem/auth-nestjs; remove it or fix its name.',
  },
])('invalid option rejected: $problem', async ({ options, problem }) => {
  const compiling = Test.createTestingModule({
    imports: [RememAuthModule.forRoot(options as RememAuthModuleOptions)],
  }).compile();

  const error = await compiling.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AuthConfigError);
  expect((error as AuthConfigError).problems).toEqual([problem]);
});

test('config and verifier together rejected', async () => {
  const compiling = Test.createTestingModule({
    imports: [RememAuthModule.forRoot({ config: {}, verifier: verifierFor(idp) })],
  }).compile();

  await expect(compiling).rejects.toThrow(
    'Options "config" and "verifier" are both set; give only one.',
  );
});

test('RequireScopes rejects a scope with a space', () => {
  expect(() => RequireScopes('notes read')).toThrow(AuthConfigError);
});
