import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
import { startOidcProvider } from '@remem/auth-testing';
import { buildApp } from './app.js';

// Runs the service against a real OpenID provider (oidc-provider) on loopback, and prints how to
// obtain a token from it. The token itself is never printed.
const provider = await startOidcProvider();
const config = loadAuthConfig({
  REMEM_AUTH_IDPS_JSON: provider.idpsJson(),
  REMEM_AUTH_STATIC_TOKENS: 'dev-static-token',
});
const app = await buildApp(new AuthVerifier(config));
const origin = await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 3000) });

const tokenCommand = [
  `curl -s -u ${provider.clientId}:${provider.clientSecret}`,
  `-d grant_type=client_credentials -d scope=notes:read -d resource=${provider.resource}`,
  provider.tokenEndpoint,
  `| node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token'`,
].join(' ');

console.log(`Service:       ${origin}
OpenID issuer: ${provider.issuer}

TOKEN=$(${tokenCommand})
curl -i ${origin}/notes -H "Authorization: Bearer $TOKEN"
curl -i ${origin}/me -H "Authorization: Bearer dev-static-token"
curl -i ${origin}/me

Press Ctrl+C to stop.`);

async function stop(): Promise<void> {
  await app.close();
  await provider.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
