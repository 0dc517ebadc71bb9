// The README's first example, made to run and exit by itself: it listens on port 0, checks the
// responses its README shows for /health, /me and /notes, and closes the server.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
import { type RememAuthEnv, rememAuth } from '@remem/auth-hono';
import { Hono } from 'hono';

const verifier = new AuthVerifier(loadAuthConfig({ REMEM_AUTH_STATIC_TOKENS: 'dev-token-1' }));
const app = new Hono<RememAuthEnv>();

app.get('/health', (c) => c.json({ status: 'ok' }));
app.get('/me', rememAuth({ verifier }), (c) => c.json({ subject: c.get('rememAuth')?.subject }));
app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (c) => c.json([]));

const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
    resolve(started),
  );
});
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
console.log('hono example passed');
