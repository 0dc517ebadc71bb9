import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { AuthVerifier } from '@remem/auth-core';
import type { LocalIdp } from '@remem/auth-testing';

export const STATIC_TOKEN = 'mcp-static-token';
export const AUDIENCE = 'http://127.0.0.1/mcp';

/** Returns a verifier that trusts `idp` for {@link AUDIENCE} and one static token with `mcp:tools`. */
export function createVerifier(idp: LocalIdp): AuthVerifier {
  return new AuthVerifier({
    idps: [idp.idpConfig({ audience: AUDIENCE })],
    staticTokens: [{ token: STATIC_TOKEN, subject: 'ci-bot', scopes: ['mcp:tools'] }],
  });
}

/** Listens on 127.0.0.1 port 0 and returns the origin. */
export async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Returns a loopback port that was free a moment ago, for servers that cannot take port 0. */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
