// The README's first example, made to run and exit by itself: it listens on port 0, checks the
// answers its README shows for /health and /me, and closes the server. The README is JavaScript;
// in strict TypeScript getUser(req) may be null, hence the `?.`.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
import { getUser, install, rememAuth } from '@remem/auth-express';
import express from 'express';

const verifier = new AuthVerifier(loadAuthConfig({ REMEM_AUTH_STATIC_TOKENS: 'dev-token-1' }));
const app = express();

app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/me', rememAuth({ verifier }), (req, res) => res.json({ subject: getUser(req)?.subject }));
app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (_req, res) => res.json([]));

install(app); // after the routes: renders failures as {"detail":...}
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const health = await fetch(`${url}/health`);
assert.equal(health.status, 200);
assert.deepEqual(await health.json(), { status: 'ok' });

const me = await fetch(`${url}/me`, { headers: { authorization: 'Bearer dev-token-1' } });
assert.equal(me.status, 200);
assert.deepEqual(await me.json(), { subject: 'static-token-1' });

const rejected = await fetch(`${url}/me`);
assert.equal(rejected.status, 401);
assert.equal(rejected.headers.get('www-authenticate'), 'Bearer');
assert.equal(await rejected.text(), '{"detail":"No token provided"}');

const notes = await fetch(`${url}/notes`, { headers: { authorization: 'Bearer dev-token-1' } });
assert.equal(notes.status, 403);

server.close();
console.log('express example passed');
