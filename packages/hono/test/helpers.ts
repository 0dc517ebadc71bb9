import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { AuthVerifier, silentLogger } from '@remem/auth-core';
import type { LocalIdp } from '@remem/auth-testing';
import type { Context, Hono } from 'hono';
import { afterEach } from 'vitest';
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

/** A Hono app listening on a loopback port, and the origin to call it on. */
export interface Served {
  origin: string;
  server: Server;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

/** Serves `app` with @hono/node-server on a random loopback port until the current test ends. */
export async function serveApp(app: Hono<never> | Hono): Promise<Served> {
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}
