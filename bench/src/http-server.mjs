// One HTTP server for the HTTP scenario, run in its own process so that the load generator does
// not share its event loop. Usage: node http-server.mjs <express|fastify|hono> <none|ours|peer>
// with REMEM_AUTH_IDPS_JSON, BENCH_ISSUER, BENCH_AUDIENCE and BENCH_JWKS_URI set.
import { serve } from '@hono/node-server';
import {
  AuthVerifier,
  authenticateRequest,
  isAuthenticationError,
  loadAuthConfig,
  renderAuthError,
  silentLogger,
} from '@remem/auth-core';
import { rememAuth as expressAuth } from '@remem/auth-express';
import { rememAuth as fastifyAuth } from '@remem/auth-fastify';

const [framework, mode] = process.argv.slice(2);
const issuer = process.env.BENCH_ISSUER;
const audience = process.env.BENCH_AUDIENCE;
const jwksUri = process.env.BENCH_JWKS_URI;
const verifier = new AuthVerifier({ ...loadAuthConfig(), logger: silentLogger });
const body = { ok: true };

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
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

// NOTE: written with the core directly, the way the Hono adapter works; swap in
// @remem/auth-hono's middleware here once it is on main.
function honoAuth() {
  return async (c, next) => {
    try {
      await authenticateRequest(verifier, c.req.raw);
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      const { status, headers, body: text } = renderAuthError(error);
      return new Response(text, { status, headers });
    }
    await next();
  };
}

async function honoApp() {
  const { Hono } = await import('hono');
  const app = new Hono();
  if (mode === 'ours') app.use('*', honoAuth());
  if (mode === 'peer') {
    const { jwk } = await import('hono/jwk');
    app.use('*', jwk({ jwks_uri: jwksUri, alg: ['RS256'] }));
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
