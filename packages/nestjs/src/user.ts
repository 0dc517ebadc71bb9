import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '@remem/auth-core';

// A symbol beside the configurable property, so `@CurrentUser()` finds the user whatever the
// `userProperty` option is. `Symbol.for` lets an ESM and a CommonJS copy of this package agree.
const USER = Symbol.for('@remem/auth-nestjs/user');

/**
 * Returns the user that the guard stored on `request`, or `undefined` when the route is public
 * or optional and was called without a token.
 *
 * @example
 * ```ts
 * const user = getAuthenticatedUser(context.switchToHttp().getRequest());
 * ```
 */
export function getAuthenticatedUser(request: object): AuthenticatedUser | undefined {
  return (request as { [USER]?: AuthenticatedUser })[USER];
}

/** Stores the user under the package's symbol and under `property`. */
export function storeAuthenticatedUser(
  request: object,
  property: string,
  user: AuthenticatedUser | undefined,
): void {
  Object.defineProperty(request, USER, { value: user, configurable: true, writable: true });
  (request as Record<string, unknown>)[property] = user;
}

/**
 * Injects the authenticated user into a route handler's parameter: the whole
 * `AuthenticatedUser`, or one of its properties when named. It is `undefined` on a public route
 * and on an optional route called without a token.
 *
 * NOTE: it reads the HTTP request. In another context type, read the user with
 * {@link getAuthenticatedUser} from the object the guard's `getRequest()` returns.
 *
 * @example
 * ```ts
 * @Get('me')
 * me(@CurrentUser() user: AuthenticatedUser, @CurrentUser('subject') subject: string) {
 *   return { subject, email: user.email };
 * }
 * ```
 */
export const CurrentUser = createParamDecorator(
  (property: keyof AuthenticatedUser | undefined, context: ExecutionContext) => {
    const user = getAuthenticatedUser(context.switchToHttp().getRequest<object>());
    return property === undefined ? user : user?.[property];
  },
);
