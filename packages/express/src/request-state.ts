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

// One table per process, found through a registry symbol, so that two loaded copies of this
// version of the package read the same state. A WeakMap keeps the state off the request object,
// out of logs, and was faster in the HTTP benchmark than a property defined on each request.
const REGISTRY_KEY = Symbol.for('@remem/auth-express/state');
const registry = globalThis as { [REGISTRY_KEY]?: WeakMap<object, RequestState> };
const states: WeakMap<object, RequestState> = registry[REGISTRY_KEY] ?? new WeakMap();
registry[REGISTRY_KEY] = states;

/** Returns the state that a `rememAuth` middleware recorded on `request`, if any ran. */
export function readState(request: object): RequestState | undefined {
  return states.get(request);
}

/** Records `state` for `request`; it is released with the request. */
export function writeState(request: object, state: RequestState): void {
  states.set(request, state);
}
