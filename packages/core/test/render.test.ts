import { describe, expect, it } from 'vitest';
import { AuthenticationError, bearerChallenge, renderAuthError } from '../src/index.js';

const missing = new AuthenticationError('missing_token', 'No token provided');
const expired = new AuthenticationError('token_expired', 'The token has expired.');
const duplicate = new AuthenticationError(
  'invalid_request',
  'The Authorization header was sent more than once; send exactly one token.',
);
const scope = new AuthenticationError(
  'insufficient_scope',
  'The token lacks the required scope(s): notes:write.',
  {
    scope: ['notes:read', 'notes:write'],
  },
);
const down = new AuthenticationError(
  'idp_unavailable',
  'The signing keys of local cannot be fetched, so the token cannot be checked; retry later.',
  {
    retryAfterSeconds: 8,
  },
);

describe('renderAuthError default format', () => {
  const cases: [AuthenticationError, number, Record<string, string>, string][] = [
    [missing, 401, { 'www-authenticate': 'Bearer' }, '{"detail":"No token provided"}'],
    [
      expired,
      401,
      {
        'www-authenticate':
          'Bearer error="invalid_token", error_description="The token has expired."',
      },
      '{"detail":"The token has expired."}',
    ],
    [
      duplicate,
      400,
      {
        'www-authenticate':
          'Bearer error="invalid_request", error_description="The Authorization header was sent more than once; send exactly one token."',
      },
      '{"detail":"The Authorization header was sent more than once; send exactly one token."}',
    ],
    [
      scope,
      403,
      {
        'www-authenticate':
          'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:write.", scope="notes:read notes:write"',
      },
      '{"detail":"The token lacks the required scope(s): notes:write."}',
    ],
    [
      down,
      503,
      { 'www-authenticate': 'Bearer', 'retry-after': '8' },
      '{"detail":"The signing keys of local cannot be fetched, so the token cannot be checked; retry later."}',
    ],
  ];
  it.each(cases)('renders %s', (error, status, headers, body) => {
    expect(renderAuthError(error)).toEqual({
      status,
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  });
});

describe('renderAuthError openai format', () => {
  it('renders a 401 exactly as the Python library does', () => {
    expect(renderAuthError(missing, { format: 'openai' }).body).toBe(
      '{"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    );
  });

  const cases: [AuthenticationError, string, string][] = [
    [expired, 'invalid_request_error', 'invalid_api_key'],
    [duplicate, 'invalid_request_error', 'invalid_request'],
    [scope, 'permission_error', 'insufficient_scope'],
    [down, 'server_error', 'service_unavailable'],
  ];
  it.each(cases)('maps %s', (error, type, code) => {
    const rendered = renderAuthError(error, { format: 'openai' });
    expect(rendered.status).toBe(error.status);
    expect(JSON.parse(rendered.body)).toEqual({
      error: { message: error.message, type, param: null, code },
    });
    expect(rendered.headers['www-authenticate']).toBe(
      renderAuthError(error).headers['www-authenticate'],
    );
  });
});

describe('bearerChallenge', () => {
  it('adds realm and resource_metadata', () => {
    expect(
      bearerChallenge(missing, {
        realm: 'notes',
        resourceMetadata: 'https://api.example/.well-known/oauth-protected-resource',
      }),
    ).toBe(
      'Bearer realm="notes", resource_metadata="https://api.example/.well-known/oauth-protected-resource"',
    );
  });

  it('drops characters a quoted value cannot carry', () => {
    const error = new AuthenticationError('invalid_claims', 'Bad "claim" \\ here\r\né');
    expect(bearerChallenge(error)).toBe(
      'Bearer error="invalid_token", error_description="Bad claim  here"',
    );
  });
});
