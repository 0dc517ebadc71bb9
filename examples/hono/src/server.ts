// The Node variant: configuration from the REMEM_AUTH_* variables of process.env.
import { serve } from '@hono/node-server';
import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
import { createApp } from './app.js';

const verifier = new AuthVerifier(loadAuthConfig());

// Loading the keys now shows a wrong JWK Set URL at start, not on the first request.
for (const result of await verifier.warmUp()) {
  if (result.ok) console.log(`Loaded ${result.keys} signing key(s) of ${result.idpName}.`);
  else console.error(`Failed to load the signing keys of ${result.idpName}: ${result.error}`);
}

const hostname = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const server = serve({ fetch: createApp(verifier).fetch, hostname, port }, () => {
  console.log(`Listening on http://${hostname}:${port}`);
});

function stop(): void {
  server.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
