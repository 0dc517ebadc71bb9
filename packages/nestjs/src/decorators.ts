import { type CustomDecorator, SetMetadata } from '@nestjs/common';
import { assertScopeList } from './options.js';

/** Metadata key of {@link Public}. */
export const PUBLIC_KEY = 'remem-auth:public';
/** Metadata key of {@link OptionalAuth}. */
export const OPTIONAL_KEY = 'remem-auth:optional';
/** Metadata key of {@link RequireScopes}. */
export const SCOPES_KEY = 'remem-auth:scopes';

/**
 * Marks a route handler or a whole controller as public: the guard lets every request through
 * without reading its token, and `@CurrentUser()` is `undefined`.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('health')
 * health() {
 *   return { ok: true };
 * }
 * ```
 */
export function Public(): CustomDecorator<string> {
  return SetMetadata(PUBLIC_KEY, true);
}

/**
 * Makes authentication optional on a handler or controller: a request without a token passes
 * with no user, but a token that is present must be valid. `@OptionalAuth(false)` makes a
 * handler required again inside an optional controller or module.
 *
 * @example
 * ```ts
 * @OptionalAuth()
 * @Get('greeting')
 * greeting(@CurrentUser() user: AuthenticatedUser | undefined) {
 *   return { hello: user?.name ?? 'guest' };
 * }
 * ```
 */
export function OptionalAuth(optional = true): CustomDecorator<string> {
  return SetMetadata(OPTIONAL_KEY, optional);
}

/**
 * Requires the user to have every one of these scopes (a 403 `insufficient_scope` otherwise).
 * Scopes on the controller, on the handler and in the module's `scopes` option all apply.
 *
 * @throws {AuthConfigError} when the class is loaded, for a scope that is not an RFC 6750 scope
 *   token (a space or a quote in it).
 *
 * @example
 * ```ts
 * @RequireScopes('notes:read')
 * @Get('notes')
 * listNotes() {
 *   return [];
 * }
 * ```
 */
export function RequireScopes(...scopes: string[]): CustomDecorator<string> {
  assertScopeList(scopes, '@RequireScopes()');
  return SetMetadata(SCOPES_KEY, Object.freeze([...scopes]));
}
