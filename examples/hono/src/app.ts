import { type AuthConfig, loadAuthConfig, type TokenVerifier } from '@remem/auth-core';
import { type RememAuthVariables, rememAuth, requireUser } from '@remem/auth-hono';
import { Hono } from 'hono';

/** The Workers bindings this service reads: its `REMEM_AUTH_*` variables. */
export type Bindings = Record<string, string | undefined>;

/** The service's Hono `Env`: the bindings, and the user that `rememAuth` sets. */
export type AppEnv = { Bindings: Bindings; Variables: RememAuthVariables };

const NOTES = [{ id: 1, text: 'Buy milk' }];

/**
 * Builds the example service. One verifier, and so one key cache, serves every route:
 * - `GET /health` is public.
 * - `GET /me` needs any valid token, `GET /notes` a token with scope `notes:read`. Their
 *   failures are `{"detail":...}`.
 * - `GET /hello` works with or without a token.
 * - `GET /v1/models` sends failures in the OpenAI error format, so OpenAI clients raise their
 *   own `AuthenticationError`.
 *
 * @param auth - a verifier (on Node), or a function that builds the configuration from the
 *   bindings (on Workers).
 */
export function createApp(
  auth: TokenVerifier | ((bindings: Bindings) => AuthConfig),
): Hono<AppEnv> {
  const source =
    typeof auth === 'function'
      ? { config: (c: { env: Bindings }) => auth(c.env) }
      : { verifier: auth };
  const app = new Hono<AppEnv>();

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/me', rememAuth<AppEnv>(source), (c) => {
    const user = requireUser(c);
    return c.json({ subject: user.subject, email: user.email, authMethod: user.authMethod });
  });
  app.get('/notes', rememAuth<AppEnv>({ ...source, scopes: ['notes:read'] }), (c) => c.json(NOTES));
  app.get('/hello', rememAuth<AppEnv>({ ...source, optional: true }), (c) => {
    return c.json({ message: `Hello, ${c.get('rememAuth')?.subject ?? 'guest'}.` });
  });

  app.use('/v1/*', rememAuth<AppEnv>({ ...source, format: 'openai' }));
  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: [{ id: 'example', object: 'model', created: 0, owned_by: requireUser(c).subject }],
    }),
  );
  return app;
}

/** Reads the `REMEM_AUTH_*` variables from the Workers bindings. */
export function configFromBindings(bindings: Bindings): AuthConfig {
  return loadAuthConfig(bindings);
}
