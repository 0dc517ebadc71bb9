import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
import { createApp } from './app.js';

// Configured like every service of the fleet, by REMEM_AUTH_* variables, plus where it listens
// and which issuer its metadata document names.
const port = Number(process.env.PORT ?? 3000);
const resource = process.env.MCP_RESOURCE_URL ?? `http://127.0.0.1:${port}/mcp`;
const authorizationServers = (process.env.MCP_AUTHORIZATION_SERVERS ?? '')
  .split(',')
  .filter((issuer) => issuer !== '');

const verifier = new AuthVerifier(loadAuthConfig());
const app = createApp({ verifier, resource, authorizationServers });
app.listen(port, '127.0.0.1', () => {
  console.log(`MCP server listening at ${resource}`);
});
