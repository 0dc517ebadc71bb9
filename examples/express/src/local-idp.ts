import { startLocalIdp } from '@remem/auth-testing';

// Starts a local IdP that mints tokens on `POST /token`, and prints the REMEM_AUTH_* setting that
// trusts it. Tokens are minted on request and never printed here.
const port = Number(process.env.IDP_PORT ?? 9400);
const idp = await startLocalIdp({ port, audience: 'api://remem-example', mintEndpoint: true });

console.log(`Local IdP: ${idp.issuer}

Start the service in another terminal with:
  export REMEM_AUTH_IDPS_JSON='${idp.idpsJson()}'
  export REMEM_AUTH_STATIC_TOKENS=dev-static-token
  pnpm --filter @remem/example-express start

Mint a token with scope notes:read and call the service:
  TOKEN=$(curl -s -X POST ${idp.url}/token -d sub=alice -d scope=notes:read \\
    | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')
  curl -i http://127.0.0.1:3000/notes -H "Authorization: Bearer $TOKEN"

Press Ctrl+C to stop.`);

async function stop(): Promise<void> {
  await idp.close();
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
