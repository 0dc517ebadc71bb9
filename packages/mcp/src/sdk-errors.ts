import { AuthConfigError, type AuthenticationError } from '@remem/auth-core';

/**
 * The error classes of `@modelcontextprotocol/sdk` 1.x, from
 * `@modelcontextprotocol/sdk/server/auth/errors.js`. Pass the module itself: its ESM and
 * CommonJS copies are different classes, and the SDK's `requireBearerAuth` recognises only the
 * copy it was loaded with.
 */
export interface SdkV1ErrorClasses {
  InvalidTokenError: new (message: string) => Error;
  InsufficientScopeError: new (message: string) => Error;
  TemporarilyUnavailableError: new (message: string) => Error;
}

/** The error class of `@modelcontextprotocol/server` 2.x: `{ OAuthError }`. */
export interface SdkV2ErrorClasses {
  OAuthError: new (code: string, message: string) => Error;
}

/**
 * The errors `verifyAccessToken` throws in place of an `AuthenticationError`: the host SDK's
 * own error classes, or a function that builds the error to throw.
 */
export type McpSdkErrors =
  | SdkV1ErrorClasses
  | SdkV2ErrorClasses
  | ((error: AuthenticationError) => unknown);

/** Converts an `AuthenticationError` to the error the host SDK maps to the right status. */
export type SdkErrorFactory = (error: AuthenticationError) => unknown;

/**
 * Checks `errors` and returns the converter.
 *
 * Both SDKs respond to `invalid_token` with 401 and `insufficient_scope` with 403. Neither can send
 * a 503, so an unreachable IdP becomes `temporarily_unavailable`, which both SDKs (1.32, 2.4)
 * send as a 400 rather than a 401 that would make a client start authorization again.
 *
 * @throws {AuthConfigError} when `errors` has neither shape.
 */
export function sdkErrorFactory(errors: unknown): SdkErrorFactory {
  if (typeof errors === 'function') return errors as SdkErrorFactory;
  const classes = (typeof errors === 'object' && errors !== null ? errors : {}) as Record<
    string,
    unknown
  >;
  const v1 = ['InvalidTokenError', 'InsufficientScopeError', 'TemporarilyUnavailableError'];
  if (v1.every((name) => typeof classes[name] === 'function')) {
    const sdk = classes as unknown as SdkV1ErrorClasses;
    return (error) => {
      const code = oauthErrorCode(error);
      if (code === 'insufficient_scope') return new sdk.InsufficientScopeError(error.message);
      if (code === 'temporarily_unavailable') {
        return new sdk.TemporarilyUnavailableError(error.message);
      }
      return new sdk.InvalidTokenError(error.message);
    };
  }
  // Checked after the 1.x classes, because the 1.x module also exports an `OAuthError`, whose
  // constructor takes a message and no code.
  if (typeof classes.OAuthError === 'function') {
    const { OAuthError } = classes as unknown as SdkV2ErrorClasses;
    return (error) => new OAuthError(oauthErrorCode(error), error.message);
  }
  throw new AuthConfigError([
    errors === undefined
      ? 'Option "errors" is missing. Pass the MCP SDK\'s error classes, so that its middleware answers 401 or 403 instead of 500: ' +
        "the module '@modelcontextprotocol/sdk/server/auth/errors.js' for SDK 1.x, or { OAuthError } from '@modelcontextprotocol/server' for SDK 2.x."
      : 'Option "errors" must contain InvalidTokenError, InsufficientScopeError and TemporarilyUnavailableError (SDK 1.x), or OAuthError (SDK 2.x), or be a function.',
  ]);
}

function oauthErrorCode(error: AuthenticationError): string {
  if (error.status === 403) return 'insufficient_scope';
  if (error.status === 503) return 'temporarily_unavailable';
  return 'invalid_token';
}
