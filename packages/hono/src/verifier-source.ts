import { AuthConfigError, loadAuthConfig, type TokenVerifier, toVerifier } from '@remem/auth-core';
import type { Context, Env } from 'hono';
import type { RememAuthOptions } from './options.js';

/** Returns the verifier for one request. */
export type VerifierSource<E extends Env> = (c: Context<E>) => TokenVerifier;

/**
 * Turns the `config` or `verifier` option into a function that returns the verifier of a
 * request. A fixed configuration is turned into one verifier now, so a configuration error
 * fails at startup. None of the paths fetches keys here: an `AuthVerifier` fetches them on the
 * first token that needs them.
 *
 * @throws {AuthConfigError} for an invalid configuration, or when no configuration is given on
 *   a runtime without `process.env`.
 */
export function verifierSource<E extends Env>(options: RememAuthOptions<E>): VerifierSource<E> {
  const { config, verifier } = options;
  if (typeof config === 'function') return cachedPerEnv(config);

  const fixed = toVerifier(verifier ?? config ?? loadAuthConfig(readProcessEnv()));
  return () => fixed;
}

// One verifier per `c.env` object: Workers pass the same bindings object to every request of an
// isolate, so the function runs once there and the verifier keeps its key cache.
function cachedPerEnv<E extends Env>(
  build: (c: Context<E>) => Parameters<typeof toVerifier>[0],
): VerifierSource<E> {
  const byEnv = new WeakMap<object, TokenVerifier>();
  let withoutEnv: TokenVerifier | undefined;

  return (c) => {
    const env: unknown = c.env;
    if (typeof env !== 'object' || env === null) {
      withoutEnv ??= toVerifier(build(c));
      return withoutEnv;
    }
    let found = byEnv.get(env);
    if (found === undefined) {
      found = toVerifier(build(c));
      byEnv.set(env, found);
    }
    return found;
  };
}

function readProcessEnv(): Record<string, string | undefined> {
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  if (processLike?.env === undefined) {
    throw new AuthConfigError([
      'No configuration for rememAuth(): this runtime has no process.env. Pass "config" as a function of the context, such as config: (c) => loadAuthConfig(c.env).',
    ]);
  }
  return processLike.env;
}
