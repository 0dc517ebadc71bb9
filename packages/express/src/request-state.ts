import type { AuthenticatedUser, RenderOptions, TokenVerifier } from '@remem/auth-core';

/** State that the middleware records on a request, for `getUser` and the error handler. */
export interface RequestState {
  /** The user, or null for an optional route called without a token. */
  user: AuthenticatedUser | null;
  /** The verifier that authenticated {@link RequestState.user}. */
  verifier: TokenVerifier;
  /** The render options of the middleware that ran last on this request. */
  render: RenderOptions;
}

// A registry symbol, so that two loaded copies of this package read the same state.
const STATE = Symbol.for('@remem/auth-express/state');

type StateHolder = { [STATE]?: RequestState };

/** Returns the state that a `rememAuth` middleware recorded on `request`, if any ran. */
export function readState(request: object): RequestState | undefined {
  return (request as StateHolder)[STATE];
}

/**
 * Records `state` on `request` in a non-enumerable property, so that it stays out of logs and
 * serialised requests.
 */
export function writeState(request: object, state: RequestState): void {
  Object.defineProperty(request, STATE, { value: state, configurable: true, writable: true });
}
