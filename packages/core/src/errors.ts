/**
 * Machine codes of {@link AuthenticationError}. They are stable across releases: match on the
 * code, never on the message.
 */
export type AuthErrorCode =
  /** No token was sent. */
  | 'missing_token'
  /** The request carried its token in a way that cannot be read unambiguously (400). */
  | 'invalid_request'
  /** The token is not a well-formed JWT (shape, size, encoding or JSON). */
  | 'malformed_token'
  /** The token's issuer is not configured. */
  | 'untrusted_issuer'
  /** The token's header names an algorithm, type or extension this IdP does not accept. */
  | 'unsupported_token'
  /** The IdP publishes no usable key for the token's `kid` and algorithm. */
  | 'unknown_key'
  /** The signature does not verify. */
  | 'invalid_signature'
  /** `exp` is in the past. */
  | 'token_expired'
  /** `nbf` or `iat` is in the future. */
  | 'token_not_yet_valid'
  /** `aud` does not name this service. */
  | 'invalid_audience'
  /** A claim is missing, of the wrong type, or rejected by a claim check. */
  | 'invalid_claims'
  /** The token is valid but lacks a required scope (403). */
  | 'insufficient_scope'
  /** The IdP's keys could not be fetched, so the token cannot be checked (503). */
  | 'idp_unavailable';

/** RFC 6750 section 3.1 error values, plus none for a request that carried no token. */
export type BearerErrorValue = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

const STATUS: Record<AuthErrorCode, number> = {
  missing_token: 401,
  invalid_request: 400,
  malformed_token: 401,
  untrusted_issuer: 401,
  unsupported_token: 401,
  unknown_key: 401,
  invalid_signature: 401,
  token_expired: 401,
  token_not_yet_valid: 401,
  invalid_audience: 401,
  invalid_claims: 401,
  insufficient_scope: 403,
  idp_unavailable: 503,
};

const BRAND = Symbol.for('@remem/auth-core/AuthenticationError');

/** Options of {@link AuthenticationError}. */
export interface AuthenticationErrorOptions {
  /** Scopes the request needed, sent back in the challenge of a 403. */
  scope?: readonly string[];
  /** The value that was expected, for diagnostics (never a credential). */
  expected?: unknown;
  /** The value that was found, for diagnostics (never a credential). */
  actual?: unknown;
  /** Name of the IdP whose rules rejected the token. */
  idpName?: string;
  /** Seconds after which a retry may succeed, sent as `Retry-After` on a 503. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * A request that failed authentication. It carries a stable {@link AuthErrorCode}, the HTTP
 * status, the RFC 6750 error value and ready response headers. Messages never contain the token.
 *
 * Detect it with {@link isAuthenticationError}, which also recognises an instance created by a
 * second copy of this package (an ESM and a CommonJS copy loaded side by side).
 *
 * @example
 * ```ts
 * try {
 *   await verifier.verifyToken(token);
 * } catch (error) {
 *   if (isAuthenticationError(error)) console.log(error.code, error.status);
 * }
 * ```
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly scope: readonly string[] | undefined;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly idpName: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AuthErrorCode, message: string, options: AuthenticationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = STATUS[code];
    this.scope = options.scope;
    this.expected = options.expected;
    this.actual = options.actual;
    this.idpName = options.idpName;
    this.retryAfterSeconds = options.retryAfterSeconds;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /**
   * The same as {@link AuthenticationError.status}, under the name that Fastify's `FastifyError`
   * and the `http-errors` package use, so error handlers written for them read it.
   */
  get statusCode(): number {
    return this.status;
  }

  /** The RFC 6750 `error` value, or `undefined` when the request carried no credentials. */
  get bearerError(): BearerErrorValue | undefined {
    if (this.code === 'missing_token' || this.code === 'idp_unavailable') return undefined;
    if (this.code === 'invalid_request' || this.code === 'insufficient_scope') return this.code;
    return 'invalid_token';
  }

  /**
   * Response headers for this error: the `WWW-Authenticate` challenge, and `Retry-After` on a
   * 503. Use {@link renderAuthError} to add `realm` or `resource_metadata`.
   */
  get headers(): Record<string, string> {
    return authErrorHeaders(this);
  }
}

/** Options that shape the `WWW-Authenticate` challenge. */
export interface ChallengeOptions {
  /** The `realm` attribute. */
  realm?: string;
  /** The RFC 9728 `resource_metadata` URL of this protected resource. */
  resourceMetadata?: string;
}

/** Builds the response headers of an authentication error. */
export function authErrorHeaders(
  error: AuthenticationError,
  options: ChallengeOptions = {},
): Record<string, string> {
  const headers: Record<string, string> = {
    'www-authenticate': bearerChallenge(error, options),
  };
  if (error.code === 'idp_unavailable') {
    headers['retry-after'] = String(error.retryAfterSeconds ?? 5);
  }
  return headers;
}

/**
 * Formats a `WWW-Authenticate: Bearer` challenge (RFC 6750 section 3). A request without
 * credentials gets a bare `Bearer` challenge with no error, as the RFC recommends.
 */
export function bearerChallenge(error: AuthenticationError, options: ChallengeOptions = {}) {
  const params: string[] = [];
  if (options.realm !== undefined) params.push(`realm=${quote(options.realm)}`);
  const bearerError = error.bearerError;
  if (bearerError !== undefined) {
    params.push(`error=${quote(bearerError)}`);
    params.push(`error_description=${quote(error.message)}`);
  }
  if (error.scope !== undefined && error.scope.length > 0) {
    params.push(`scope=${quote(error.scope.join(' '))}`);
  }
  if (options.resourceMetadata !== undefined) {
    params.push(`resource_metadata=${quote(options.resourceMetadata)}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

// RFC 6750 allows only %x20-21 / %x23-5B / %x5D-7E inside these quoted values, so any other
// character (quotes, backslashes, control and non-ASCII characters) is dropped.
function quote(value: string): string {
  return `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`;
}

/**
 * Tells whether `value` is an {@link AuthenticationError}, including one thrown by another
 * loaded copy of this package, where `instanceof` would answer false.
 */
export function isAuthenticationError(value: unknown): value is AuthenticationError {
  return typeof value === 'object' && value !== null && BRAND in value;
}

/**
 * A configuration mistake found at startup. It names the variable or option and the fix, and it
 * is never turned into "auth disabled".
 */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  /** Each problem found, one sentence each. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const list = problems.map((problem) => `  - ${problem}`).join('\n');
    super(`Invalid remem-auth configuration:\n${list}`);
    this.problems = problems;
  }
}
