// The README's first example, made to run and exit by itself: it listens on port 0, sends one
// request with the static token and one without, checks both answers and closes the server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthVerifier,
  extractToken,
  isAuthenticationError,
  loadAuthConfig,
  renderAuthError,
} from '@remem/auth-core';

const verifier = new AuthVerifier(loadAuthConfig({ REMEM_AUTH_STATIC_TOKENS: 'dev-token-1' }));

const server = createServer(async (request, response) => {
  try {
    const user = await verifier.verifyToken(extractToken(request));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ subject: user.subject, method: user.authMethod }));
  } catch (error) {
    if (!isAuthenticationError(error)) throw error;
    const { status, headers, body } = renderAuthError(error);
    response.writeHead(status, headers).end(body);
  }
}).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const accepted = await fetch(url, { headers: { authorization: 'Bearer dev-token-1' } });
assert.equal(accepted.status, 200);
assert.deepEqual(await accepted.json(), { subject: 'static-token-1', method: 'static' });

const rejected = await fetch(url);
assert.equal(rejected.status, 401);
assert.equal(rejected.headers.get('www-authenticate'), 'Bearer');
assert.equal(await rejected.text(), '{"detail":"No token provided"}');

server.close();
console.log('core example passed');
