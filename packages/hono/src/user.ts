import type { AuthenticatedUser } from '@remem/auth-core';
import type { Context } from 'hono';

/**
 * Returns the user that a `rememAuth` middleware authenticated on this request, or null when no
 * middleware ran or an optional route was called without a token. It needs no `Variables`
 * type on the app.
 *
 * @example
 * ```ts
 * app.get('/feed', rememAuth({ verifier, optional: true }), (c) => {
 *   const user = getUser(c);
 *   return c.json({ greeting: user ? `Hello, ${user.subject}` : 'Hello, guest' });
 * });
 * ```
 */
export function getUser(c: Context): AuthenticatedUser | null {
  return (c.get('rememAuth' as never) as AuthenticatedUser | null | undefined) ?? null;
}

/**
 * Returns the user that a `rememAuth` middleware authenticated on this request.
 *
 * @throws {Error} when no user is set: the route does not run `rememAuth` before this handler, or
 *   runs it with `optional: true` and the request had no token. Hono responds with a 500.
 *
 * @example
 * ```ts
 * app.get('/me', rememAuth({ verifier }), (c) => c.json({ subject: requireUser(c).subject }));
 * ```
 */
export function requireUser(c: Context): AuthenticatedUser {
  const user = getUser(c);
  if (user === null) {
    throw new Error(
      'No authenticated user on this request: run rememAuth() without "optional" before this handler, or use getUser() and handle null.',
    );
  }
  return user;
}
