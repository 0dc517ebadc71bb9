import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthVerifier, silentLogger, type TokenVerifier } from '@remem/auth-core';
import type { LocalIdp } from '@remem/auth-testing';
import express, { type Express } from 'express';
import express4 from 'express4';
import { afterEach } from 'vitest';
import { getUser } from '../src/index.js';

export const STATIC_TOKEN = 'static-token-for-tests';

/** Express 4 and 5, so that every table of cases runs against both. */
export const EXPRESS_VERSIONS: { name: string; create: () => Express }[] = [
  // The two majors' type declarations differ in details that do not matter to these tests.
  { name: 'express 4', create: () => express4() as unknown as Express },
  { name: 'express 5', create: () => express() },
];

/** A listening app and the origin to call it on. */
export interface Served {
  origin: string;
  server: Server;
  close(): Promise<void>;
}

const servers: Served[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((served) => served.close()));
});

/** Listens on a random loopback port. The caller closes the server. */
export async function listen(app: Express): Promise<Served> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

/** Listens on a random loopback port until the current test ends. */
export async function serve(app: Express): Promise<Served> {
  const served = await listen(app);
  servers.push(served);
  return served;
}

/** Creates a verifier that trusts `idp` and {@link STATIC_TOKEN}, and logs nothing. */
export function verifierFor(idp: LocalIdp): AuthVerifier {
  return new AuthVerifier({
    idps: [idp.idpConfig() as never],
    staticTokens: [STATIC_TOKEN],
    logger: silentLogger,
  });
}

/** Wraps `inner` to count the tokens it is requested to verify. */
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

/** Sends the parts of the request's user that tests compare, or `{ user: null }`. */
export function sendUser(request: express.Request, response: express.Response): void {
  const user = getUser(request);
  response.json(user === null ? { user: null } : describeUser(user));
}

/** Returns the parts of a user that tests compare. */
export function describeUser(user: {
  subject: string;
  authMethod: string;
  scopes: readonly string[];
}) {
  return { subject: user.subject, authMethod: user.authMethod, scopes: user.scopes };
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
