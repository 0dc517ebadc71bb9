// Scenario 2: requests per second on loopback, per framework: no auth, this library with one
// repeated token and with many distinct tokens, and the framework's popular peer.
import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startLocalIdp } from '@remem/auth-testing';
import autocannon from 'autocannon';
import { median, tokenFactory } from './measure.mjs';

const serverScript = fileURLToPath(new URL('./http-server.mjs', import.meta.url));

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startServer(framework, mode, idp) {
  const port = await freePort();
  const child = fork(serverScript, [framework, mode], {
    // The server runs the built packages; vitest's `--conditions development` would load sources.
    execArgv: [],
    env: {
      ...process.env,
      REMEM_AUTH_IDPS_JSON: idp.idpsJson(),
      BENCH_ISSUER: idp.issuer,
      BENCH_AUDIENCE: idp.audience,
      BENCH_JWKS_URI: idp.jwksUri,
      BENCH_PORT: String(port),
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) =>
      reject(new Error(`${framework}/${mode} server exited with ${code}`)),
    );
  });
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill();
    });
  return { url: `http://127.0.0.1:${port}/`, stop };
}

async function load(url, tokens, seconds, connections) {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest(request) {
          if (tokens.length > 0) {
            request.headers = {
              ...request.headers,
              authorization: `Bearer ${tokens[next % tokens.length]}`,
            };
            next += 1;
          }
          return request;
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  }
  return result.requests.average;
}

/** Measures each framework and mode; returns rows of { framework, name, requestsPerSecond }. */
export async function runHttp({ seconds, runs, connections, distinctTokens }) {
  const idp = await startLocalIdp({ algorithms: ['RS256'] });
  const mint = tokenFactory(idp, idp.keys[0]);
  const repeated = [mint()];
  const distinct = Array.from({ length: distinctTokens }, () => mint());
  const rows = [];
  try {
    for (const framework of ['express', 'fastify', 'hono']) {
      const cases = [
        // The route without auth gets the same header, so the ratio is the cost of checking it.
        ['no auth', 'none', repeated],
        ['no auth, one empty middleware', 'empty', repeated],
        ['remem-auth, repeated token', 'ours', repeated],
        ['remem-auth, distinct tokens', 'ours', distinct],
        [
          {
            express: 'express-oauth2-jwt-bearer',
            fastify: '@fastify/jwt + get-jwks',
            hono: 'hono/jwk',
          }[framework] + ', repeated token',
          'peer',
          repeated,
        ],
      ];
      // Runs go round the cases, so a slow spell of the machine touches every case alike.
      const samples = cases.map(() => []);
      for (let run = 0; run < runs; run += 1) {
        for (const [index, [, mode, tokens]] of cases.entries()) {
          const server = await startServer(framework, mode, idp);
          try {
            await load(server.url, tokens, 1, connections); // warm-up: keys, JIT
            samples[index].push(await load(server.url, tokens, seconds, connections));
          } finally {
            await server.stop();
          }
        }
      }
      for (const [index, [name]] of cases.entries()) {
        rows.push({ framework, name, requestsPerSecond: median(samples[index]) });
      }
    }
  } finally {
    await idp.close();
  }
  return rows;
}
