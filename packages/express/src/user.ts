import type { AuthenticatedUser } from '@remem/auth-core';
import { readState } from './request-state.js';

/**
 * Returns the user that a `rememAuth` middleware authenticated on this request, or null when no
 * middleware ran or an optional route was called without a token. It works whatever
 * `userProperty` is set to.
 *
 * @example
 * ```ts
 * app.get('/feed', rememAuth({ verifier, optional: true }), (req, res) => {
 *   const user = getUser(req);
 *   res.json({ greeting: user ? `Hello, ${user.subject}` : 'Hello, guest' });
 * });
 * ```
 */
export function getUser(request: object): AuthenticatedUser | null {
  return readState(request)?.user ?? null;
}

/**
 * Returns the user that a `rememAuth` middleware authenticated on this request.
 *
 * @throws {Error} when no user is set: the route does not run `rememAuth` before this handler, or
 *   runs it with `optional: true` and the request had no token. Express responds with a 500.
 *
 * @example
 * ```ts
 * app.get('/me', rememAuth({ verifier }), (req, res) => {
 *   res.json({ subject: requireUser(req).subject });
 * });
 * ```
 */
export function requireUser(request: object): AuthenticatedUser {
  const user = getUser(request);
  if (user === null) {
    throw new Error(
      'No authenticated user on this request: run rememAuth() without "optional" before this handler, or use getUser() and handle null.',
    );
  }
  return user;
}
