// One HTTP server for the HTTP scenario, run in its own process so that the load generator does
// not share its event loop. Usage: node http-server.mjs <express|fastify|hono> <none|empty|ours|peer>
// with REMEM_AUTH_IDPS_JSON, BENCH_ISSUER, BENCH_AUDIENCE and BENCH_JWKS_URI set.
import { serve } from '@hono/node-server';
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { rememAuth as expressAuth } from '@remem/auth-express';
import { rememAuth as fastifyAuth } from '@remem/auth-fastify';
import { rememAuth as honoAuth } from '@remem/auth-hono';

const [framework, mode] = process.argv.slice(2);
const issuer = process.env.BENCH_ISSUER;
const audience = process.env.BENCH_AUDIENCE;
const jwksUri = process.env.BENCH_JWKS_URI;
const verifier = new AuthVerifier({ ...loadAuthConfig(), logger: silentLogger });
const body = { ok: true };

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
  if (mode === 'empty') app.use((_request, _response, next) => next());
  if (mode === 'ours') app.use(expressAuth({ verifier }));
  if (mode === 'peer') {
    const { auth } = await import('express-oauth2-jwt-bearer');
    app.use(auth({ issuer, audience, jwksUri, tokenSigningAlg: 'RS256' }));
  }
  app.get('/', (_req, res) => res.json(body));
  return (port) => new Promise((resolve) => app.listen(port, '127.0.0.1', resolve));
}

async function fastifyApp() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  if (mode === 'empty') app.addHook('onRequest', (_request, _reply, done) => done());
  if (mode === 'ours') await app.register(fastifyAuth, { verifier, global: true });
  if (mode === 'peer') {
    const { default: fastifyJwt } = await import('@fastify/jwt');
    const { default: buildGetJwks } = await import('get-jwks');
    const getJwks = buildGetJwks({ providerDiscovery: true, issuersWhitelist: [issuer] });
    await app.register(fastifyJwt, {
      decode: { complete: true },
      secret: (_request, token) =>
        getJwks.getPublicKey({ kid: token.header.kid, alg: token.header.alg, domain: issuer }),
      verify: { allowedIss: issuer, allowedAud: audience },
    });
    app.addHook('onRequest', (request) => request.jwtVerify());
  }
  app.get('/', async () => body);
  return async (port) => app.listen({ port, host: '127.0.0.1' });
}

async function honoApp() {
  const { Hono } = await import('hono');
  const app = new Hono();
  if (mode === 'empty') app.use('*', (_c, next) => next());
  if (mode === 'ours') app.use('*', honoAuth({ verifier }));
  if (mode === 'peer') {
    const { jwk } = await import('hono/jwk');
    // With `jwks_uri`, hono/jwk fetches the JWK Set on every request, so it gets the keys once
    // here, which is the faster of its two set-ups.
    const { keys } = await (await fetch(jwksUri)).json();
    app.use('*', jwk({ keys, alg: ['RS256'] }));
  }
  app.get('/', (c) => c.json(body));
  return (port) =>
    new Promise((resolve) => serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, resolve));
}

const builders = { express: expressApp, fastify: fastifyApp, hono: honoApp };
const listen = await builders[framework]();
const port = Number(process.env.BENCH_PORT);
await listen(port);
process.send?.({ ready: true });

// Exits on SIGINT, so that `--cpu-prof` can write its profile when the run stops the server.
process.on('SIGINT', () => process.exit(0));
