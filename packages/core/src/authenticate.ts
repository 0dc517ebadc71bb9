import type { AuthConfig } from './config.js';
import { extractToken } from './extract.js';
import type { AuthenticatedUser } from './user.js';
import { AuthVerifier, assertScopes } from './verifier.js';

/** The part of {@link AuthVerifier} that adapters call; a test double can implement it. */
export interface TokenVerifier {
  readonly authEnabled: boolean;
  verifyToken(token: string | null | undefined): Promise<AuthenticatedUser>;
  /**
   * Returns the user of a token verified before and still valid, without I/O, or `undefined`.
   * Optional: without it every request goes through `verifyToken`.
   */
  cachedUser?(token: string): AuthenticatedUser | undefined;
}

/** The requirements a route sets for its caller. */
export interface AuthRequirement {
  /** Let a request without a token through with no user; a token that is present must still be valid. */
  optional?: boolean;
  /** Scopes the user must all have (403 `insufficient_scope` otherwise). */
  scopes?: readonly string[];
}

/**
 * Returns `input` when it is already a verifier, or builds an {@link AuthVerifier} from a
 * configuration. Adapters accept either, so one verifier and its key cache can be shared.
 */
export function toVerifier(input: AuthConfig | TokenVerifier | undefined): TokenVerifier {
  if (input !== undefined && typeof (input as TokenVerifier).verifyToken === 'function') {
    return input as TokenVerifier;
  }
  return new AuthVerifier((input ?? {}) as AuthConfig);
}

/**
 * Authenticates one request: extracts the token, verifies it and checks the required scopes.
 * This is the whole of what an adapter does before it exposes the user its framework's way.
 *
 * @returns the user, or `undefined` for an optional route called without a token.
 * @throws {AuthenticationError} for a missing (unless optional), invalid or under-scoped token.
 *
 * @example
 * ```ts
 * const user = await authenticateRequest(verifier, request, { scopes: ['notes:read'] });
 * ```
 */
export async function authenticateRequest(
  verifier: TokenVerifier,
  request: Parameters<typeof extractToken>[0],
  requirement: AuthRequirement = {},
): Promise<AuthenticatedUser | undefined> {
  return authenticateRequestEagerly(verifier, request, requirement);
}

/**
 * Does what {@link authenticateRequest} does, but returns the result itself instead of a promise
 * when no verification work is due: a token the verifier has cached (see
 * {@link AuthVerifier.cachedUser}), or an optional route without a token. An adapter can then
 * call the next handler in the same tick. Failures found without waiting are thrown, the rest
 * reject the returned promise, so callers handle both.
 *
 * @throws {AuthenticationError} for a missing (unless optional), invalid or under-scoped token.
 *
 * @example
 * ```ts
 * const result = authenticateRequestEagerly(verifier, request);
 * const user = result instanceof Promise ? await result : result;
 * ```
 */
export function authenticateRequestEagerly(
  verifier: TokenVerifier,
  request: Parameters<typeof extractToken>[0],
  requirement: AuthRequirement = {},
): AuthenticatedUser | undefined | Promise<AuthenticatedUser | undefined> {
  const token = extractToken(request);
  if (token === undefined && requirement.optional === true && verifier.authEnabled)
    return undefined;
  const scopes = requirement.scopes ?? [];
  const known = token === undefined ? undefined : verifier.cachedUser?.(token);
  if (known !== undefined) {
    assertScopes(known, scopes);
    return known;
  }
  return verifier.verifyToken(token).then((user) => {
    assertScopes(user, scopes);
    return user;
  });
}
