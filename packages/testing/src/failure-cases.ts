import { createKey, type LocalIdp } from './local-idp.js';

/**
 * One failure every adapter must report alike: the request headers, and the status, message and
 * `WWW-Authenticate` challenge the core renders for it.
 */
export interface FailureCase {
  /** The error code, and for codes with several causes, the cause. */
  name: string;
  /** Builds the request headers, minting a token from the IdP where the case needs one. */
  headers: () => Promise<Record<string, string>>;
  /** `/notes`, which requires the scope `notes:read`, or by default `/me`, which requires none. */
  path?: '/notes';
  status: number;
  /** The error message, as the `default` and `openai` bodies carry it. */
  message: string;
  challenge: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const invalidToken = (message: string) =>
  `Bearer error="invalid_token", error_description="${message.replaceAll('"', '')}"`;
const TWICE = 'The Authorization header was sent more than once; send exactly one token.';

/**
 * Returns one case per failure code of the core, with tokens minted by the IdP that `idp`
 * returns. It is a function because test tables are built before `beforeAll` starts the IdP.
 * The IdP must be named `local` and accept RS256 only, as `startLocalIdp()` sets it up.
 *
 * @example
 * ```ts
 * test.each(failureCases(() => idp))('$name', async (failure) => {
 *   const response = await fetch(`${origin}${failure.path ?? '/me'}`, {
 *     headers: await failure.headers(),
 *   });
 *   expect(response.status).toBe(failure.status);
 * });
 * ```
 */
export function failureCases(idp: () => LocalIdp): FailureCase[] {
  const now = () => Math.floor(Date.now() / 1000);
  return [
    {
      name: 'missing_token',
      headers: async () => ({}),
      status: 401,
      message: 'No token provided',
      challenge: 'Bearer',
    },
    {
      name: 'invalid_request: two tokens in one header',
      headers: async () => ({ authorization: 'Bearer first-token, Bearer second-token' }),
      status: 400,
      message: TWICE,
      challenge: `Bearer error="invalid_request", error_description="${TWICE}"`,
    },
    {
      name: 'malformed_token',
      headers: async () => bearer('not-a-jwt'),
      status: 401,
      message: 'The token is not a JWT: expected three dot-separated parts, got 1.',
      challenge: invalidToken('The token is not a JWT: expected three dot-separated parts, got 1.'),
    },
    {
      name: 'untrusted_issuer',
      headers: async () =>
        bearer(await idp().mintToken({ claims: { iss: 'https://issuer.invalid/' } })),
      status: 401,
      message: 'The token issuer is not trusted by this service.',
      challenge: invalidToken('The token issuer is not trusted by this service.'),
    },
    {
      name: 'unsupported_token',
      headers: async () => bearer(await idp().mintToken({ key: await createKey('RS384') })),
      status: 401,
      message: "The token's algorithm is not accepted for local.",
      challenge: invalidToken("The token's algorithm is not accepted for local."),
    },
    {
      name: 'unknown_key',
      headers: async () => bearer(await idp().mintToken({ header: { kid: 'retired-key' } })),
      status: 401,
      message: 'No signing key "retired-key" for RS256 is published by local.',
      challenge: invalidToken('No signing key "retired-key" for RS256 is published by local.'),
    },
    {
      name: 'invalid_signature',
      headers: async () => {
        const outsider = await createKey('RS256');
        return bearer(await idp().mintToken({ key: { ...outsider, kid: idp().keys[0]!.kid } }));
      },
      status: 401,
      message: 'The token signature is invalid.',
      challenge: invalidToken('The token signature is invalid.'),
    },
    {
      name: 'token_expired',
      headers: async () => bearer(await idp().mintToken({ expiresIn: -3600 })),
      status: 401,
      message: 'The token has expired.',
      challenge: invalidToken('The token has expired.'),
    },
    {
      name: 'token_not_yet_valid',
      headers: async () => bearer(await idp().mintToken({ claims: { nbf: now() + 3600 } })),
      status: 401,
      message: 'The token is not valid yet.',
      challenge: invalidToken('The token is not valid yet.'),
    },
    {
      name: 'invalid_audience',
      headers: async () =>
        bearer(await idp().mintToken({ claims: { aud: 'api://another-service' } })),
      status: 401,
      message: 'The token is not meant for this service (audience mismatch).',
      challenge: invalidToken('The token is not meant for this service (audience mismatch).'),
    },
    {
      name: 'invalid_claims',
      headers: async () => bearer(await idp().mintToken({ claims: { sub: undefined } })),
      status: 401,
      message: 'The token has no "sub" claim.',
      challenge: invalidToken('The token has no "sub" claim.'),
    },
    {
      name: 'insufficient_scope',
      headers: async () => bearer(await idp().mintToken({ claims: { scope: 'notes:write' } })),
      path: '/notes',
      status: 403,
      message: 'The token lacks the required scope(s): notes:read.',
      challenge:
        'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
    },
  ];
}
