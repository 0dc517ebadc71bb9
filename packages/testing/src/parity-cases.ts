import type { LocalIdp } from './local-idp.js';
import type { ParityCase, ParityExpectation } from './parity.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ENTRA_CLIENT = '0b2e5b1c-7a4e-4c1f-9d5e-3f7a2c8b9e10';
const GOOGLE_CLIENT = '1234567890-parity.apps.googleusercontent.com';
const STATIC_ENV = { REMEM_AUTH_STATIC_TOKENS: 'dev-token-1,dev-token-2' };
// Retry-After counts down to the next allowed JWK Set fetch, so only its form is fixed.
const SECONDS = /^[1-9][0-9]*$/;
const JSON_TYPE = { 'content-type': 'application/json' };

const idpsEnv =
  (overrides: Record<string, unknown> = {}, extra: Record<string, string> = {}) =>
  (idp: LocalIdp) => ({ REMEM_AUTH_IDPS_JSON: idp.idpsJson(overrides), ...extra });

function ok(subject: string, authMethod: string): ParityExpectation {
  return { status: 200, body: { subject, authMethod } };
}

function detail(status: number, message: string, challenge: string): ParityExpectation {
  return {
    status,
    headers: { ...JSON_TYPE, 'www-authenticate': challenge },
    body: JSON.stringify({ detail: message }),
  };
}

function invalidToken(message: string): ParityExpectation {
  return detail(401, message, `Bearer error="invalid_token", error_description="${message}"`);
}

// A 503 carries Retry-After, which counts down to the next allowed JWK Set fetch.
function retryLater(expectation: ParityExpectation): ParityExpectation {
  return { ...expectation, headers: { ...expectation.headers, 'retry-after': SECONDS } };
}

function openai(status: number, message: string, challenge: string): ParityExpectation {
  const [type, code] =
    status === 400
      ? ['invalid_request_error', 'invalid_request']
      : status === 503
        ? ['server_error', 'service_unavailable']
        : ['invalid_request_error', 'invalid_api_key'];
  return {
    status,
    headers: { ...JSON_TYPE, 'www-authenticate': challenge },
    body: JSON.stringify({ error: { message, type, param: null, code } }),
  };
}

const NOT_A_JWT = 'The token is not a JWT: expected three dot-separated parts, got 1.';
const EXPIRED = 'The token has expired.';
const WRONG_ALGORITHM = "The token's algorithm is not accepted for local.";
const UNAVAILABLE =
  'The signing keys of local cannot be fetched, so the token cannot be checked; retry later.';
const TWO_TOKENS = 'The Authorization header holds more than one value; send exactly one token.';

// Spellings that pydantic parses as false and as true, in several letter cases.
const FALSE_SPELLINGS = ['false', 'False', 'FALSE', '0', 'no', 'NO', 'off', 'Off', 'f', 'n'];
const TRUE_SPELLINGS = ['true', 'True', '1', 'yes', 'YES', 'on', 't', 'y'];

const booleanCases: ParityCase[] = [
  ...FALSE_SPELLINGS.map(
    (spelling): ParityCase => ({
      name: `VERIFY_EXP=${spelling} accepts an expired JWT`,
      env: idpsEnv({}, { REMEM_AUTH_VERIFY_EXP: spelling }),
      path: '/protected',
      headers: { authorization: 'Bearer {jwt}' },
      jwt: { expiresIn: -3600 },
      expected: ok('user-1', 'jwt'),
    }),
  ),
  ...TRUE_SPELLINGS.map(
    (spelling): ParityCase => ({
      name: `VERIFY_EXP=${spelling} rejects an expired JWT`,
      env: idpsEnv({}, { REMEM_AUTH_VERIFY_EXP: spelling }),
      path: '/protected',
      headers: { authorization: 'Bearer {jwt}' },
      jwt: { expiresIn: -3600 },
      expected: invalidToken(EXPIRED),
    }),
  ),
];

/**
 * The parity table: environment settings and one request each, with the expected status,
 * headers and body. It covers what the Python library `remem-auth` 0.2.0 documents: the
 * `{"detail": ...}` default body, the OpenAI body, the `WWW-Authenticate: Bearer` challenge, the
 * verification order (disabled, no token, static token, JWT), the boolean spellings and the
 * `REMEM_AUTH_IDPS_JSON` keys. The Python library documents only the `No token provided`
 * message, so the messages of rejected tokens are those of `@remem/auth-core`.
 * Run it with {@link runParityCases}.
 */
export const parityCases: readonly ParityCase[] = [
  // The default format and the verification order.
  {
    name: 'missing token',
    env: STATIC_ENV,
    path: '/protected',
    expected: detail(401, 'No token provided', 'Bearer'),
  },
  {
    name: 'empty Authorization header',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'Bearer ' },
    expected: detail(401, 'No token provided', 'Bearer'),
  },
  {
    name: 'static token as Bearer',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'Bearer dev-token-1' },
    expected: ok('static-token-1', 'static'),
  },
  {
    name: 'second static token',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'Bearer dev-token-2' },
    expected: ok('static-token-2', 'static'),
  },
  {
    name: 'lower-case bearer scheme',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'bearer dev-token-1' },
    expected: ok('static-token-1', 'static'),
  },
  {
    name: 'static token in api-key',
    env: STATIC_ENV,
    path: '/protected',
    headers: { 'api-key': 'dev-token-2' },
    expected: ok('static-token-2', 'static'),
  },
  {
    name: 'Authorization read before api-key',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'Bearer unknown-token', 'api-key': 'dev-token-1' },
    expected: invalidToken(NOT_A_JWT),
  },
  {
    name: 'unknown static token',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'Bearer unknown-token' },
    expected: invalidToken(NOT_A_JWT),
  },
  {
    name: 'two tokens in one header',
    env: STATIC_ENV,
    path: '/protected',
    headers: { authorization: 'Bearer dev-token-1 dev-token-2' },
    expected: detail(
      400,
      TWO_TOKENS,
      `Bearer error="invalid_request", error_description="${TWO_TOKENS}"`,
    ),
  },
  {
    name: 'disabled auth without a token',
    env: {},
    path: '/protected',
    expected: ok('anonymous', 'none'),
  },
  {
    name: 'disabled auth ignores a token',
    env: {},
    path: '/protected',
    headers: { authorization: 'Bearer anything' },
    expected: ok('anonymous', 'none'),
  },
  {
    name: 'static token before JWT',
    env: idpsEnv({}, STATIC_ENV),
    path: '/protected',
    headers: { authorization: 'Bearer dev-token-1' },
    expected: ok('static-token-1', 'static'),
  },
  {
    name: 'JWT beside static tokens',
    env: idpsEnv({}, STATIC_ENV),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: {},
    expected: ok('user-1', 'jwt'),
  },

  // REMEM_AUTH_IDPS_JSON keys: name, issuer, jwks_uri, audience, algorithms.
  {
    name: 'IDPS_JSON JWT',
    env: idpsEnv(),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { sub: 'alice' } },
    expected: ok('alice', 'jwt'),
  },
  {
    name: 'IDPS_JSON JWT in api-key',
    env: idpsEnv(),
    path: '/protected',
    headers: { 'api-key': '{jwt}' },
    jwt: { claims: { sub: 'alice' } },
    expected: ok('alice', 'jwt'),
  },
  {
    name: 'JWT from an unknown issuer',
    env: idpsEnv(),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { iss: 'https://unknown.example' } },
    expected: invalidToken('The token issuer is not trusted by this service.'),
  },
  {
    name: 'expired JWT',
    env: idpsEnv(),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { expiresIn: -3600 },
    expected: invalidToken(EXPIRED),
  },
  {
    name: 'JWT for another audience',
    env: idpsEnv(),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { aud: 'api://another-service' } },
    expected: invalidToken('The token is not meant for this service (audience mismatch).'),
  },
  {
    name: 'audience null accepts any audience',
    env: idpsEnv({ audience: null }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { aud: 'api://another-service' } },
    expected: ok('user-1', 'jwt'),
  },
  {
    name: 'audience list',
    env: idpsEnv({ audience: ['api://first', 'api://second'] }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { aud: 'api://second' } },
    expected: ok('user-1', 'jwt'),
  },
  {
    name: 'VERIFY_AUD=false accepts any audience',
    env: idpsEnv({}, { REMEM_AUTH_VERIFY_AUD: 'false' }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { aud: 'api://another-service' } },
    expected: ok('user-1', 'jwt'),
  },
  {
    name: 'algorithms default to RS256',
    env: idpsEnv({ algorithms: undefined }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { alg: 'ES256' },
    expected: invalidToken(WRONG_ALGORITHM),
  },
  {
    name: 'algorithms allow ES256',
    env: idpsEnv({ algorithms: ['ES256'] }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { alg: 'ES256' },
    expected: ok('user-1', 'jwt'),
  },
  {
    name: 'algorithms reject RS256',
    env: idpsEnv({ algorithms: ['ES256'] }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { alg: 'RS256' },
    expected: invalidToken(WRONG_ALGORITHM),
  },
  {
    name: 'IdP keys unavailable',
    env: idpsEnv(),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: {},
    idpFailure: { status: 500 },
    expected: retryLater(detail(503, UNAVAILABLE, 'Bearer')),
  },

  // Entra ID and Google from their own variables.
  {
    name: 'Entra v2 token',
    env: (idp) => ({
      REMEM_AUTH_AZURE_TENANT_ID: TENANT,
      REMEM_AUTH_AZURE_CLIENT_ID: ENTRA_CLIENT,
      REMEM_AUTH_AZURE_JWKS_URI: idp.jwksUri,
    }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: {
      claims: {
        iss: `https://login.microsoftonline.com/${TENANT}/v2.0`,
        aud: ENTRA_CLIENT,
        tid: TENANT,
        sub: 'entra-user',
      },
    },
    expected: ok('entra-user', 'jwt'),
  },
  {
    name: 'Entra token for api:// audience',
    env: (idp) => ({
      REMEM_AUTH_AZURE_TENANT_ID: TENANT,
      REMEM_AUTH_AZURE_CLIENT_ID: ENTRA_CLIENT,
      REMEM_AUTH_AZURE_JWKS_URI: idp.jwksUri,
    }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: {
      claims: {
        iss: `https://sts.windows.net/${TENANT}/`,
        aud: `api://${ENTRA_CLIENT}`,
        tid: TENANT,
        sub: 'entra-user',
      },
    },
    expected: ok('entra-user', 'jwt'),
  },
  {
    name: 'Google ID token',
    env: (idp) => ({
      REMEM_AUTH_GOOGLE_CLIENT_ID: GOOGLE_CLIENT,
      REMEM_AUTH_GOOGLE_JWKS_URI: idp.jwksUri,
    }),
    path: '/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { claims: { iss: 'https://accounts.google.com', aud: GOOGLE_CLIENT, sub: '1098' } },
    expected: ok('1098', 'jwt'),
  },

  ...booleanCases,

  // The OpenAI format.
  {
    name: 'openai: missing token',
    env: STATIC_ENV,
    path: '/openai/protected',
    expected: openai(401, 'No token provided', 'Bearer'),
  },
  {
    name: 'openai: unknown token',
    env: STATIC_ENV,
    path: '/openai/protected',
    headers: { authorization: 'Bearer unknown-token' },
    expected: openai(
      401,
      NOT_A_JWT,
      `Bearer error="invalid_token", error_description="${NOT_A_JWT}"`,
    ),
  },
  {
    name: 'openai: two tokens in one header',
    env: STATIC_ENV,
    path: '/openai/protected',
    headers: { authorization: 'Bearer dev-token-1 dev-token-2' },
    expected: openai(
      400,
      TWO_TOKENS,
      `Bearer error="invalid_request", error_description="${TWO_TOKENS}"`,
    ),
  },
  {
    name: 'openai: expired JWT',
    env: idpsEnv(),
    path: '/openai/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: { expiresIn: -3600 },
    expected: openai(401, EXPIRED, `Bearer error="invalid_token", error_description="${EXPIRED}"`),
  },
  {
    name: 'openai: IdP keys unavailable',
    env: idpsEnv(),
    path: '/openai/protected',
    headers: { authorization: 'Bearer {jwt}' },
    jwt: {},
    idpFailure: { status: 500 },
    expected: retryLater(openai(503, UNAVAILABLE, 'Bearer')),
  },
  {
    name: 'openai: static token',
    env: STATIC_ENV,
    path: '/openai/protected',
    headers: { 'api-key': 'dev-token-1' },
    expected: ok('static-token-1', 'static'),
  },
];
