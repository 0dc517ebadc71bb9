import { AuthVerifier, silentLogger, type TokenVerifier } from '@remem/auth-core';
import type { LocalIdp } from '@remem/auth-testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { type RememAuthOptions, rememAuth } from '../src/index.js';

export const STATIC_TOKEN = 'static-token-for-tests';

const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A Fastify instance that is closed after the current test. */
export function createApp(): FastifyInstance {
  const app = Fastify();
  apps.push(app);
  return app;
}

/** A verifier that trusts `idp` and {@link STATIC_TOKEN}, and logs nothing. */
export function verifierFor(idp: LocalIdp): AuthVerifier {
  return new AuthVerifier({
    idps: [idp.idpConfig() as never],
    staticTokens: [STATIC_TOKEN],
    logger: silentLogger,
  });
}

/** A verifier that counts the tokens it is asked to verify. */
export function countingVerifier(inner: TokenVerifier): TokenVerifier & { calls: number } {
  return {
    calls: 0,
    get authEnabled() {
      return inner.authEnabled;
    },
    verifyToken(token) {
      this.calls += 1;
      return inner.verifyToken(token);
    },
  };
}

/**
 * An app with the plugin registered and these routes: `GET /me` (returns the user),
 * `GET /public` (opted out), `GET /optional`, `GET /notes` (scope `notes:read`) and
 * `POST /notes` (scope `notes:write`). Without `app`, the app is closed after the current test.
 */
export async function protectedApp(
  options: RememAuthOptions,
  app: FastifyInstance = createApp(),
): Promise<FastifyInstance> {
  await app.register(rememAuth, options);
  app.get('/me', async (request) => describeUser(request.rememAuth));
  app.get('/public', { config: { rememAuth: false } }, async () => ({ public: true }));
  app.get('/optional', { config: { rememAuth: { optional: true } } }, async (request) =>
    describeUser(request.rememAuth),
  );
  app.get('/notes', { config: { rememAuth: { scopes: ['notes:read'] } } }, async () => []);
  app.post('/notes', { config: { rememAuth: { scopes: ['notes:write'] } } }, async () => ({
    created: true,
  }));
  return app;
}

/** The parts of a user that tests compare, or `{ user: null }`. */
export function describeUser(
  user: { subject: string; authMethod: string } | null,
): Record<string, unknown> {
  if (user === null) return { user: null };
  return { subject: user.subject, authMethod: user.authMethod };
}

/** The OpenAI error body for a message and status, as the core renders it. */
export function openAiBody(status: number, message: string): string {
  const mapping: Record<number, [string, string]> = {
    400: ['invalid_request_error', 'invalid_request'],
    401: ['invalid_request_error', 'invalid_api_key'],
    403: ['permission_error', 'insufficient_scope'],
    503: ['server_error', 'service_unavailable'],
  };
  const [type, code] = mapping[status]!;
  return JSON.stringify({ error: { message, type, param: null, code } });
}
