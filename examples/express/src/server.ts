import { createAppFromEnv } from './app.js';

// The configuration comes from the REMEM_AUTH_* variables, as in every service of the fleet.
const { app, verifier } = createAppFromEnv(process.env);

// Loading the keys now shows a wrong JWK Set URL at start, not on the first request.
for (const result of await verifier.warmUp()) {
  if (result.ok) console.log(`Loaded ${result.keys} signing key(s) of ${result.idpName}.`);
  else console.error(`Failed to load the signing keys of ${result.idpName}: ${result.error}`);
}

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, host, () => {
  console.log(`Listening on http://${host}:${port}`);
});

function stop(): void {
  server.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
