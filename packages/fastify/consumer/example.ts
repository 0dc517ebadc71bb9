// The README's first example, made to run and exit by itself: it listens on port 0, checks the
// answers its README shows for /health and /me, and closes the server.
import assert from 'node:assert/strict';
import { rememAuth } from '@remem/auth-fastify';
import Fastify from 'fastify';

process.env.REMEM_AUTH_STATIC_TOKENS = 'dev-token-1';

const app = Fastify();
await app.register(rememAuth, { global: true }); // reads REMEM_AUTH_* from process.env

app.get('/health', { config: { rememAuth: false } }, async () => ({ status: 'ok' }));
app.get('/me', async (request) => ({ subject: request.rememAuth?.subject }));
app.get('/notes', { config: { rememAuth: { scopes: ['notes:read'] } } }, async () => []);

const url = await app.listen({ host: '127.0.0.1', port: 0 });

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

await app.close();
console.log('fastify example passed');
