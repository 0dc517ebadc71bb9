import { AuthVerifier, silentLogger } from '@remem/auth-core';
import type { LocalIdp } from '@remem/auth-testing';
import type { Context } from 'hono';
import { getUser } from '../src/index.js';

export const STATIC_TOKEN = 'static-token-for-tests';

/** Creates a verifier that trusts `idp` and {@link STATIC_TOKEN}, and logs nothing. */
export function verifierFor(idp: LocalIdp): AuthVerifier {
  return new AuthVerifier({
    idps: [idp.idpConfig() as never],
    staticTokens: [STATIC_TOKEN],
    logger: silentLogger,
  });
}

/** Responds with the parts of the request's user that tests compare, or `{ user: null }`. */
export function sendUser(c: Context): Response {
  const user = getUser(c);
  if (user === null) return c.json({ user: null });
  return c.json({ subject: user.subject, authMethod: user.authMethod, scopes: user.scopes });
}

/** Returns the OpenAI error body of a status and message, as the core renders it. */
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

/** Returns the default error body of a message, as the core renders it. */
export function defaultBody(_status: number, message: string): string {
  return JSON.stringify({ detail: message });
}
