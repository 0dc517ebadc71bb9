import { describe, expect, it } from 'vitest';
import {
  AuthConfigError,
  AuthVerifier,
  createAuthConfigFromEnv,
  ENV_VARIABLES,
  loadAuthConfig,
} from '../src/index.js';
import { recordingLogger } from './helpers.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const IDP = {
  name: 'my-idp',
  issuer: 'https://idp.example.com',
  jwks_uri: 'https://idp.example.com/.well-known/jwks.json',
  audience: 'my-app',
};

function configError(env: Record<string, string>): AuthConfigError {
  try {
    loadAuthConfig(env, { logger: recordingLogger() });
  } catch (error) {
    expect(error).toBeInstanceOf(AuthConfigError);
    return error as AuthConfigError;
  }
  throw new Error('expected an AuthConfigError');
}

describe('loadAuthConfig variables', () => {
  it('reads every variable', () => {
    const config = loadAuthConfig({
      REMEM_AUTH_AZURE_TENANT_ID: 'organizations',
      REMEM_AUTH_AZURE_CLIENT_ID: CLIENT,
      REMEM_AUTH_AZURE_ALLOWED_TENANTS: ` ${TENANT} ,`,
      REMEM_AUTH_AZURE_JWKS_URI: 'http://127.0.0.1:9/azure-keys',
      REMEM_AUTH_GOOGLE_CLIENT_ID: 'client.apps.googleusercontent.com',
      REMEM_AUTH_GOOGLE_JWKS_URI: 'http://127.0.0.1:9/google-keys',
      REMEM_AUTH_STATIC_TOKENS: 'dev-token-1, dev-token-2,,',
      REMEM_AUTH_IDPS_JSON: JSON.stringify([IDP]),
      REMEM_AUTH_VERIFY_EXP: 'false',
      REMEM_AUTH_VERIFY_AUD: 'no',
      REMEM_AUTH_CLOCK_TOLERANCE_SECONDS: '30',
      REMEM_AUTH_REQUIRED: 'true',
      REMEM_AUTH_MAX_TOKEN_BYTES: '4096',
      REMEM_AUTH_JWKS_TIMEOUT_SECONDS: '2',
      REMEM_AUTH_JWKS_COOLDOWN_SECONDS: '10',
      REMEM_AUTH_JWKS_REFRESH_SECONDS: '300',
      REMEM_AUTH_JWKS_STALE_SECONDS: '900',
      REMEM_AUTH_TOKEN_CACHE_SIZE: '500',
      REMEM_AUTH_TOKEN_CACHE_MAX_AGE_SECONDS: '20',
    });
    expect(config).toEqual({
      azureTenantId: 'organizations',
      azureClientId: CLIENT,
      azureAllowedTenants: [TENANT],
      azureJwksUri: 'http://127.0.0.1:9/azure-keys',
      googleClientId: 'client.apps.googleusercontent.com',
      googleJwksUri: 'http://127.0.0.1:9/google-keys',
      staticTokens: ['dev-token-1', 'dev-token-2'],
      idps: [{ name: 'my-idp', issuer: IDP.issuer, jwksUri: IDP.jwks_uri, audience: 'my-app' }],
      verifyExp: false,
      verifyAud: false,
      clockToleranceSeconds: 30,
      required: true,
      maxTokenBytes: 4096,
      jwks: { timeoutSeconds: 2, cooldownSeconds: 10, refreshSeconds: 300, staleSeconds: 900 },
      tokenCache: { maxEntries: 500, maxAgeSeconds: 20 },
    });
    expect(ENV_VARIABLES).toHaveLength(19);
  });

  it('is also exported under the Python name', () => {
    expect(createAuthConfigFromEnv).toBe(loadAuthConfig);
  });

  it('treats empty variables as unset', () => {
    const config = loadAuthConfig({
      REMEM_AUTH_STATIC_TOKENS: '',
      REMEM_AUTH_VERIFY_EXP: '  ',
      REMEM_AUTH_AZURE_TENANT_ID: '',
    });
    expect(config).toEqual({});
    expect(new AuthVerifier({ ...config, logger: recordingLogger() }).authEnabled).toBe(false);
  });

  it('reads the IdP keys of the Python library', () => {
    const config = loadAuthConfig({
      REMEM_AUTH_IDPS_JSON: JSON.stringify([
        {
          ...IDP,
          algorithms: ['RS256', 'ES256'],
          typ: 'at+jwt',
          required_claims: ['tid'],
          required_scopes: ['read'],
        },
        {
          name: 'discovered',
          issuer: 'https://login.example.org',
          discovery: true,
          audience: null,
        },
      ]),
    });
    expect(config.idps).toEqual([
      {
        name: 'my-idp',
        issuer: IDP.issuer,
        jwksUri: IDP.jwks_uri,
        audience: 'my-app',
        algorithms: ['RS256', 'ES256'],
        typ: 'at+jwt',
        requiredClaims: ['tid'],
        requiredScopes: ['read'],
      },
      { name: 'discovered', issuer: 'https://login.example.org', discovery: true, audience: null },
    ]);
  });
});

describe('loadAuthConfig booleans', () => {
  const spellings: [string, boolean][] = [
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['on', true],
    ['ON', true],
    ['t', true],
    ['y', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['no', false],
    ['NO', false],
    ['off', false],
    ['Off', false],
    ['f', false],
    ['n', false],
  ];
  it.each(spellings)('parses %s as %s', (value, expected) => {
    const config = loadAuthConfig({
      REMEM_AUTH_STATIC_TOKENS: 'dev-token-1',
      REMEM_AUTH_VERIFY_EXP: value,
    });
    expect(config.verifyExp).toBe(expected);
  });

  it.each(['maybe', '2', 'enabled', 'truee'])('rejects %s naming the variable', (value) => {
    const error = configError({
      REMEM_AUTH_STATIC_TOKENS: 'dev-token-1',
      REMEM_AUTH_VERIFY_AUD: value,
    });
    expect(error.problems).toEqual([
      `REMEM_AUTH_VERIFY_AUD "${value}" is not a boolean; use true/false, 1/0, yes/no or on/off.`,
    ]);
  });
});

describe('loadAuthConfig errors', () => {
  const cases: [string, Record<string, string>, string][] = [
    [
      'invalid JSON with its position',
      { REMEM_AUTH_IDPS_JSON: '[{"name": "x",}]' },
      'REMEM_AUTH_IDPS_JSON is not valid JSON (',
    ],
    [
      'a JSON object instead of an array',
      { REMEM_AUTH_IDPS_JSON: '{}' },
      'REMEM_AUTH_IDPS_JSON must be a JSON array of IdP objects, got a object.',
    ],
    [
      'a missing issuer',
      {
        REMEM_AUTH_IDPS_JSON: JSON.stringify([
          { name: 'x', jwks_uri: IDP.jwks_uri, audience: 'a' },
        ]),
      },
      'REMEM_AUTH_IDPS_JSON[0].issuer:',
    ],
    [
      'a missing jwks_uri',
      { REMEM_AUTH_IDPS_JSON: JSON.stringify([{ name: 'x', issuer: IDP.issuer, audience: 'a' }]) },
      "REMEM_AUTH_IDPS_JSON[0].jwks_uri is missing; set the IdP's JWK Set URL, or set REMEM_AUTH_IDPS_JSON[0].discovery to true.",
    ],
    [
      'an unknown key',
      { REMEM_AUTH_IDPS_JSON: JSON.stringify([{ ...IDP, jwksUri: 'x' }]) },
      'REMEM_AUTH_IDPS_JSON[0] has unknown key "jwksUri"; allowed keys are name, issuer, jwks_uri, audience, algorithms, discovery, typ, required_claims, required_scopes.',
    ],
    [
      'a JWKS URL over plain http off loopback',
      {
        REMEM_AUTH_IDPS_JSON: JSON.stringify([{ ...IDP, jwks_uri: 'http://idp.example.com/jwks' }]),
      },
      'REMEM_AUTH_IDPS_JSON[0].jwks_uri "http://idp.example.com/jwks" must use https (plain http is allowed only on loopback).',
    ],
    [
      'an Azure client id without a tenant',
      { REMEM_AUTH_AZURE_CLIENT_ID: CLIENT },
      'REMEM_AUTH_AZURE_CLIENT_ID is set but REMEM_AUTH_AZURE_TENANT_ID is empty; set the tenant GUID, or "common" / "organizations" for a multi-tenant app.',
    ],
    [
      'an Azure tenant without a client id',
      { REMEM_AUTH_AZURE_TENANT_ID: TENANT },
      'REMEM_AUTH_AZURE_TENANT_ID is set but REMEM_AUTH_AZURE_CLIENT_ID is empty; set the application (client) id that tokens must have as audience.',
    ],
    [
      'an Azure tenant that is a domain',
      { REMEM_AUTH_AZURE_TENANT_ID: 'contoso.onmicrosoft.com', REMEM_AUTH_AZURE_CLIENT_ID: CLIENT },
      'REMEM_AUTH_AZURE_TENANT_ID "contoso.onmicrosoft.com" is not a tenant GUID;',
    ],
    [
      'an empty algorithm list',
      { REMEM_AUTH_IDPS_JSON: JSON.stringify([{ ...IDP, algorithms: [] }]) },
      'REMEM_AUTH_IDPS_JSON[0].algorithms is empty; list at least one, for example ["RS256"].',
    ],
    [
      'a symmetric algorithm',
      { REMEM_AUTH_IDPS_JSON: JSON.stringify([{ ...IDP, algorithms: ['HS256'] }]) },
      'REMEM_AUTH_IDPS_JSON[0].algorithms "HS256" is symmetric and cannot be verified with a JWK Set;',
    ],
    [
      'the none algorithm',
      { REMEM_AUTH_IDPS_JSON: JSON.stringify([{ ...IDP, algorithms: ['none'] }]) },
      'REMEM_AUTH_IDPS_JSON[0].algorithms "none" is not a supported asymmetric algorithm;',
    ],
    [
      'a missing audience',
      {
        REMEM_AUTH_IDPS_JSON: JSON.stringify([
          { name: 'x', issuer: IDP.issuer, jwks_uri: IDP.jwks_uri },
        ]),
      },
      'REMEM_AUTH_IDPS_JSON[0].audience is missing; set the audience your tokens carry, or null to accept any audience.',
    ],
    [
      'a duplicated issuer',
      { REMEM_AUTH_IDPS_JSON: JSON.stringify([IDP, { ...IDP, name: 'other' }]) },
      'REMEM_AUTH_IDPS_JSON[1].issuer "https://idp.example.com" is also the issuer of "my-idp"; each issuer may be configured once.',
    ],
    [
      'a non-numeric tolerance',
      { REMEM_AUTH_STATIC_TOKENS: 'a-token', REMEM_AUTH_CLOCK_TOLERANCE_SECONDS: 'soon' },
      'REMEM_AUTH_CLOCK_TOLERANCE_SECONDS "soon" is not a number.',
    ],
    [
      'a tolerance over five minutes',
      { REMEM_AUTH_STATIC_TOKENS: 'a-token', REMEM_AUTH_CLOCK_TOLERANCE_SECONDS: '3600' },
      'REMEM_AUTH_CLOCK_TOLERANCE_SECONDS:',
    ],
    [
      'a JWKS timeout over five seconds',
      { REMEM_AUTH_STATIC_TOKENS: 'a-token', REMEM_AUTH_JWKS_TIMEOUT_SECONDS: '30' },
      'REMEM_AUTH_JWKS_TIMEOUT_SECONDS:',
    ],
    [
      'a static token with a space',
      { REMEM_AUTH_STATIC_TOKENS: 'good-token,bad token' },
      'REMEM_AUTH_STATIC_TOKENS entry 2 is empty or contains characters a bearer token cannot carry',
    ],
    [
      'required without any IdP',
      { REMEM_AUTH_REQUIRED: 'true' },
      'REMEM_AUTH_REQUIRED is set but no identity provider or static token is configured;',
    ],
  ];

  it.each(cases)('reports %s', (_, env, expected) => {
    const error = configError(env);
    expect(error.problems.some((problem) => problem.startsWith(expected))).toBe(true);
  });

  it('never names a static token in a message', () => {
    const error = configError({ REMEM_AUTH_STATIC_TOKENS: 'secret value with spaces' });
    expect(error.message).not.toContain('secret');
  });

  it('lists every problem at once', () => {
    const error = configError({
      REMEM_AUTH_VERIFY_EXP: 'maybe',
      REMEM_AUTH_VERIFY_AUD: 'perhaps',
    });
    expect(error.problems).toHaveLength(2);
    expect(error.message).toContain('REMEM_AUTH_VERIFY_EXP');
    expect(error.message).toContain('REMEM_AUTH_VERIFY_AUD');
  });
});

describe('loadAuthConfig unknown variables', () => {
  it('warns with the closest known name', () => {
    const logger = recordingLogger();
    loadAuthConfig(
      { REMEM_AUTH_STATIC_TOKENS: 'dev-token-1', REMEM_AUTH_VERIFY_EXPIRY: 'false' },
      { logger },
    );
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]!.level).toBe('warn');
    expect(logger.lines[0]!.message).toBe(
      'Ignoring unknown variable(s) REMEM_AUTH_VERIFY_EXPIRY (did you mean REMEM_AUTH_VERIFY_EXP?).',
    );
  });

  it('fails when a typo would leave auth disabled', () => {
    const error = configError({ REMEM_AUTH_STATIC_TOKEN: 'dev-token-1' });
    expect(error.problems[0]).toMatch(
      /^Unknown variable\(s\) REMEM_AUTH_STATIC_TOKEN \(did you mean REMEM_AUTH_STATIC_TOKENS\?\) and nothing else enables authentication/,
    );
    expect(error.message).not.toContain('dev-token-1');
  });
});

describe('AuthVerifier code configuration', () => {
  it('names the option of a code configuration', () => {
    expect(
      () => new AuthVerifier({ idps: [{ name: 'x', issuer: 'https://a', audience: 'b' }] }),
    ).toThrow('idps[0].jwksUri is missing');
    expect(
      () => new AuthVerifier({ staticTokens: ['ok-token'], verifyExp: 'no' as never }),
    ).toThrow('verifyExp:');
    expect(() => new AuthVerifier({ staticTokens: ['ok-token'], tokenCahce: {} } as never)).toThrow(
      'has unknown option(s) "tokenCahce"',
    );
  });
});
